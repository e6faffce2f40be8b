#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QTemporaryDir>

// A self-signed certificate for localhost and 127.0.0.1 with its private key, made by the
// openssl program in a temporary folder when the test runs, so that no key is ever committed.
class TestCertificate final
{
public:
    TestCertificate();
    Q_DISABLE_COPY_MOVE(TestCertificate)

    // False when openssl could not make them; errorString() then says why.
    bool isValid() const { return m_errorString.isEmpty(); }
    QString errorString() const { return m_errorString; }

    QString certificatePath() const { return m_dir.filePath(QStringLiteral("certificate.pem")); }
    QString keyPath() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    QSslCertificate certificate() const;
    // What a client that trusts only this certificate uses: it verifies the server against it.
    QSslConfiguration clientConfiguration() const;

    // A fresh private key that does not belong to the certificate; empty when openssl failed.
    QString makeUnrelatedKey();
    // A file in the same folder holding the given bytes, for broken certificates and keys.
    QString writeFile(const QString &name, const QByteArray &content);

private:
    // Runs openssl with the arguments in the folder; an error message when it fails.
    QString runOpenSsl(const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_errorString;
    int m_unrelatedKeys = 0;
};
