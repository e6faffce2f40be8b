#include "secretskey.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSecretsKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void keyFileIsMadeForSealingOnlyAndReadByItsOwnerOnly();
    void keyFromTheEnvironmentWinsOverAnyFile();
    void namedFileIsUsedAndKeptAcrossInstances();
    void unusableKeysAreRefusedWithTheReason();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSecretsKey::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecretsKey::keyFileIsMadeForSealingOnlyAndReadByItsOwnerOnly()
{
    const QString file = path(u"sub/secrets.key"_s);
    SecretsKey key(QProcessEnvironment(), file);
    QVERIFY(!key.forOpening());
    QVERIFY(key.problem().contains(file));
    QVERIFY(!QFile::exists(file));

    const std::optional<SecretBox> sealing = key.forSealing();
    QVERIFY(sealing && sealing->isValid());
    QVERIFY(QFile::exists(file));
    QCOMPARE(QFile::permissions(file) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
             QFile::ReadOwner | QFile::WriteOwner);
    const QString sealed = sealing->seal("whsec_x");
    // Another process, reading the same file later, opens what this one sealed.
    SecretsKey again(QProcessEnvironment(), file);
    const std::optional<SecretBox> opening = again.forOpening();
    QVERIFY(opening);
    QCOMPARE(opening->open(sealed).value_or(QByteArray()), QByteArray("whsec_x"));
}

void TestSecretsKey::keyFromTheEnvironmentWinsOverAnyFile()
{
    QProcessEnvironment environment;
    const QByteArray raw = SecretBox::generateKey();
    environment.insert(QString(SecretsKey::kKeyVariable), QString::fromLatin1(raw.toBase64()));
    environment.insert(QString(SecretsKey::kFileVariable), path(u"ignored.key"_s));
    SecretsKey key(environment, path(u"default.key"_s));
    const std::optional<SecretBox> box = key.forSealing();
    QVERIFY(box);
    QCOMPARE(SecretBox(raw).open(box->seal("s")).value_or(QByteArray()), QByteArray("s"));
    QVERIFY(!QFile::exists(path(u"ignored.key"_s)));
    QVERIFY(!QFile::exists(path(u"default.key"_s)));
}

void TestSecretsKey::namedFileIsUsedAndKeptAcrossInstances()
{
    QProcessEnvironment environment;
    environment.insert(QString(SecretsKey::kFileVariable), path(u"named.key"_s));
    QString sealed;
    {
        SecretsKey key(environment, path(u"default.key"_s));
        sealed = key.forSealing()->seal("kept");
    }
    QVERIFY(QFile::exists(path(u"named.key"_s)));
    QVERIFY(!QFile::exists(path(u"default.key"_s)));
    SecretsKey key(environment, path(u"default.key"_s));
    QCOMPARE(key.forOpening()->open(sealed).value_or(QByteArray()), QByteArray("kept"));
    // Sealing again uses the same key rather than making a new one.
    QCOMPARE(key.forSealing()->open(sealed).value_or(QByteArray()), QByteArray("kept"));
}

void TestSecretsKey::unusableKeysAreRefusedWithTheReason()
{
    QProcessEnvironment environment;
    environment.insert(QString(SecretsKey::kKeyVariable), u"c2hvcnQ="_s);
    SecretsKey shortKey(environment, path(u"x.key"_s));
    QVERIFY(!shortKey.forSealing());
    QVERIFY(shortKey.problem().contains(SecretsKey::kKeyVariable));

    const QString open = path(u"open.key"_s);
    QFile file(open);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(SecretBox::generateKey().toBase64());
    file.close();
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    SecretsKey readable(QProcessEnvironment(), open);
    QVERIFY(!readable.forOpening());
    QVERIFY(!readable.forSealing());
    QVERIFY(readable.problem().contains(u"chmod 600"_s));

    const QString garbage = path(u"garbage.key"_s);
    QFile bad(garbage);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a key");
    bad.close();
    QVERIFY(bad.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    SecretsKey wrong(QProcessEnvironment(), garbage);
    QVERIFY(!wrong.forSealing());
    QVERIFY(wrong.problem().contains(garbage));
}

QTEST_GUILESS_MAIN(TestSecretsKey)
#include "tst_secretskey.moc"
