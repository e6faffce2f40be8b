#include "secretskey.h"

#include "servicelogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

SecretsKey::SecretsKey(const QProcessEnvironment &environment, const QString &defaultFile)
    : m_environmentSet(environment.contains(kKeyVariable))
    , m_file(environment.value(kFileVariable, defaultFile))
{
    if (m_environmentSet)
        m_fromEnvironment = environment.value(kKeyVariable).trimmed().toLatin1();
}

QString SecretsKey::defaultFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/secrets.key");
}

std::optional<SecretBox> SecretsKey::forSealing()
{
    QMutexLocker locker(&m_mutex);
    return load(true);
}

std::optional<SecretBox> SecretsKey::forOpening()
{
    QMutexLocker locker(&m_mutex);
    return load(false);
}

QString SecretsKey::problem() const
{
    QMutexLocker locker(&m_mutex);
    return m_problem;
}

std::optional<SecretBox> SecretsKey::load(bool create)
{
    if (m_box)
        return m_box;
    const auto decode = [](const QByteArray &text) {
        const auto key =
            QByteArray::fromBase64Encoding(text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        return SecretBox(key ? QByteArrayView(key.decoded) : QByteArrayView());
    };
    if (m_environmentSet) {
        SecretBox box = decode(m_fromEnvironment);
        if (box.isValid())
            m_box = box;
        else
            m_problem =
                tr("%1 is not the base64 of %2 bytes.").arg(kKeyVariable).arg(SecretBox::kKeyBytes);
        return m_box;
    }
    QFile file(m_file);
    if (file.open(QIODevice::ReadOnly)) {
        // A key others could read would seal nothing from them.
        if (file.permissions() &
            (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)) {
            m_problem = tr("The secrets key %1 may be read by other users; allow only its "
                           "owner (chmod 600).")
                            .arg(m_file);
            return std::nullopt;
        }
        SecretBox box = decode(file.read(1024));
        if (box.isValid())
            m_box = box;
        else
            m_problem = tr("The secrets key %1 is not the base64 of %2 bytes.")
                            .arg(m_file)
                            .arg(SecretBox::kKeyBytes);
        return m_box;
    }
    if (file.exists()) {
        m_problem = tr("Could not read the secrets key %1: %2").arg(m_file, file.errorString());
        return std::nullopt;
    }
    if (!create) {
        m_problem = tr("There is no secrets key at %1 (nor in %2): it is made when the first "
                       "webhook is registered, and nodes that share a database must share it.")
                        .arg(m_file, kKeyVariable);
        return std::nullopt;
    }
    const QString folder = QFileInfo(m_file).absolutePath();
    if (!QDir(folder).exists() && QDir().mkpath(folder))
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // Made readable by its owner only from the start, and only if no other process made one
    // meanwhile: then that one is the key.
    QFile made(m_file);
    QByteArray key = SecretBox::generateKey();
    if (!made.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                   QFile::ReadOwner | QFile::WriteOwner)) {
        if (made.exists())
            return load(false);
        m_problem = tr("Could not make the secrets key %1: %2").arg(m_file, made.errorString());
        return std::nullopt;
    }
    const bool written = made.write(key.toBase64() + '\n') > 0 && made.flush();
    made.close();
    if (!written) {
        m_problem = tr("Could not make the secrets key %1: %2").arg(m_file, made.errorString());
        QFile::remove(m_file);
        return std::nullopt;
    }
    m_box = SecretBox(key);
    key.fill('\0');
    m_problem.clear();
    qCInfo(lcService).noquote() << "Made the secrets key" << m_file
                                << "(copy it to every node that shares this database)";
    return m_box;
}
