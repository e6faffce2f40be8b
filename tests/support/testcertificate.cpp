#include "testcertificate.h"

#include <QDebug>
#include <QFile>
#include <QProcess>
#include <QSslSocket>

TestCertificate::TestCertificate()
{
    if (!m_dir.isValid()) {
        m_errorString = m_dir.errorString();
        return;
    }
    // P-256: made in milliseconds, where an RSA key takes a noticeable part of a second.
    m_errorString = runOpenSsl(
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
         QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
         QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
         QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"), QStringLiteral("-keyout"),
         keyPath(), QStringLiteral("-out"), certificatePath()});
}

QSslCertificate TestCertificate::certificate() const
{
    return QSslCertificate::fromPath(certificatePath()).value(0);
}

QSslConfiguration TestCertificate::clientConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({certificate()});
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return configuration;
}

QString TestCertificate::makeUnrelatedKey()
{
    const QString path =
        m_dir.filePath(QStringLiteral("unrelated-key-%1.pem").arg(++m_unrelatedKeys));
    const QString error =
        runOpenSsl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                    QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                    QStringLiteral("-out"), path});
    if (!error.isEmpty()) {
        qWarning().noquote() << error;
        return {};
    }
    return path;
}

QString TestCertificate::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qWarning().noquote() << "Could not write" << path << file.errorString();
    return path;
}

QString TestCertificate::runOpenSsl(const QStringList &arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(m_dir.path());
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    if (!openssl.waitForFinished(30'000)) {
        return QStringLiteral("openssl %1 did not finish: %2")
            .arg(arguments.join(u' '), openssl.errorString());
    }
    if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        return QStringLiteral("openssl %1 failed: %2")
            .arg(arguments.join(u' '), QString::fromLocal8Bit(openssl.readAll()));
    }
    return {};
}
