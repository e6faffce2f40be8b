#include "apitlsconfiguration.h"
#include "testcertificate.h"

#include <QFileInfo>
#include <QProcess>
#include <QSslKey>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApiTlsConfiguration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loadsACertificateAndItsKey();
    void loadsAnRsaKeyAndAChain();
    void problemsAreNamed_data();
    void problemsAreNamed();
    void enabledByEitherPath();

private:
    std::unique_ptr<TestCertificate> m_certificate;
};

void TestApiTlsConfiguration::initTestCase()
{
    m_certificate = std::make_unique<TestCertificate>();
    QVERIFY2(m_certificate->isValid(), qPrintable(m_certificate->errorString()));
}

void TestApiTlsConfiguration::loadsACertificateAndItsKey()
{
    const ApiTlsConfiguration tls{m_certificate->certificatePath(), m_certificate->keyPath()};
    QVERIFY(tls.isEnabled());
    const auto loaded = tls.load();
    const QString *error = std::get_if<QString>(&loaded);
    QVERIFY2(!error, error ? qPrintable(*error) : "");
    const QSslConfiguration configuration = std::get<QSslConfiguration>(loaded);
    QCOMPARE(configuration.localCertificate(), m_certificate->certificate());
    QCOMPARE(configuration.privateKey().algorithm(), QSsl::Ec);
    QCOMPARE(configuration.peerVerifyMode(), QSslSocket::VerifyNone);
}

// A certificate file may carry intermediates after the server's own certificate; RSA keys in
// both PKCS#8 and the older PKCS#1 form work as well as EC ones.
void TestApiTlsConfiguration::loadsAnRsaKeyAndAChain()
{
    QTemporaryDir dir;
    const QString key = dir.filePath(u"rsa.pem"_s);
    const QString pkcs1Key = dir.filePath(u"rsa-pkcs1.pem"_s);
    const QString certificate = dir.filePath(u"rsa-certificate.pem"_s);
    const auto openssl = [](const QStringList &arguments) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(u"openssl"_s, arguments);
        return process.waitForFinished(60'000) && process.exitCode() == 0;
    };
    QVERIFY(
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"1"_s,
                 u"-subj"_s, u"/CN=localhost"_s, u"-keyout"_s, key, u"-out"_s, certificate}));
    QVERIFY(openssl({u"rsa"_s, u"-in"_s, key, u"-traditional"_s, u"-out"_s, pkcs1Key}));
    QFile chainFile(certificate);
    QVERIFY(chainFile.open(QIODevice::Append));
    QFile intermediate(m_certificate->certificatePath());
    QVERIFY(intermediate.open(QIODevice::ReadOnly));
    chainFile.write(intermediate.readAll());
    chainFile.close();

    for (const QString &keyPath : {key, pkcs1Key}) {
        const auto loaded = ApiTlsConfiguration{certificate, keyPath}.load();
        const QString *error = std::get_if<QString>(&loaded);
        QVERIFY2(!error, error ? qPrintable(*error) : "");
        const QSslConfiguration configuration = std::get<QSslConfiguration>(loaded);
        QCOMPARE(configuration.privateKey().algorithm(), QSsl::Rsa);
        QCOMPARE(configuration.localCertificateChain().size(), 2);
        QCOMPARE(configuration.localCertificateChain().at(1), m_certificate->certificate());
    }
}

void TestApiTlsConfiguration::problemsAreNamed_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    // The file the message must name, so the user knows which one to fix.
    QTest::addColumn<QString>("named");

    TestCertificate &files = *m_certificate;
    const QString certificate = files.certificatePath();
    const QString key = files.keyPath();
    const QString missing = QFileInfo(key).absolutePath() + u"/missing.pem"_s;
    const QString folder = QFileInfo(key).absolutePath();
    QFile keyFile(key);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QByteArray truncatedKey = keyFile.readAll();
    truncatedKey.chop(40);
    const QString truncated = files.writeFile(u"truncated-key.pem"_s, truncatedKey);
    const QString garbage = files.writeFile(u"garbage.pem"_s, "hello\n");
    const QString encrypted =
        files.writeFile(u"encrypted-key.pem"_s, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n"
                                                "-----END ENCRYPTED PRIVATE KEY-----\n");
    const QString unrelated = files.makeUnrelatedKey();
    QVERIFY(!unrelated.isEmpty());

    QTest::newRow("only a certificate")
        << certificate << QString() << u"needs its private key"_s << certificate;
    QTest::newRow("only a key") << QString() << key << u"needs its certificate"_s << key;
    QTest::newRow("missing certificate")
        << missing << key << u"Could not read the TLS certificate"_s << missing;
    QTest::newRow("missing key") << certificate << missing << u"Could not read the TLS key"_s
                                 << missing;
    QTest::newRow("folder as key")
        << certificate << folder << u"Could not read the TLS key"_s << folder;
    QTest::newRow("not a certificate")
        << garbage << key << u"holds no PEM certificate"_s << garbage;
    QTest::newRow("key as certificate") << key << key << u"holds no PEM certificate"_s << key;
    QTest::newRow("certificate as key")
        << certificate << certificate << u"holds no PEM private key"_s << certificate;
    QTest::newRow("truncated key")
        << certificate << truncated << u"holds no PEM private key"_s << truncated;
    QTest::newRow("key of another certificate")
        << certificate << unrelated << u"does not belong to the certificate"_s << unrelated;
    QTest::newRow("key with a passphrase")
        << certificate << encrypted << u"protected by a passphrase"_s << encrypted;
}

void TestApiTlsConfiguration::problemsAreNamed()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QFETCH(QString, named);

    const auto loaded = ApiTlsConfiguration{certificate, key}.load();
    QVERIFY(std::holds_alternative<QString>(loaded));
    const QString error = std::get<QString>(loaded);
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(named), qPrintable(error));
}

void TestApiTlsConfiguration::enabledByEitherPath()
{
    QVERIFY(!ApiTlsConfiguration().isEnabled());
    QVERIFY((ApiTlsConfiguration{u"c.pem"_s, {}}.isEnabled()));
    QVERIFY((ApiTlsConfiguration{{}, u"k.pem"_s}.isEnabled()));
    QCOMPARE(ApiTlsConfiguration().handshakeTimeout, ApiTlsConfiguration::kDefaultHandshakeTimeout);
}

QTEST_GUILESS_MAIN(TestApiTlsConfiguration)
#include "tst_apitlsconfiguration.moc"
