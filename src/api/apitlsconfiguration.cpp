#include "apitlsconfiguration.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <optional>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ApiTlsConfiguration", text);
}

// PEM certificates and keys are a few kilobytes; a larger file is the wrong file, and a device
// such as /dev/zero must not be read forever.
constexpr qint64 kMaxPemBytes = 1024 * 1024;

// The file's content, or nothing with the reason in *error.
std::optional<QByteArray> readPem(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return std::nullopt;
    }
    QByteArray content = file.read(kMaxPemBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        *error = file.errorString();
        return std::nullopt;
    }
    if (content.size() > kMaxPemBytes) {
        *error = tr("too large for a PEM file");
        return std::nullopt;
    }
    return content;
}

// Qt 6.4 cannot tell whether a key belongs to a certificate: its OpenSSL backend finds out at
// the first handshake, where the failure reaches each client instead of the person starting
// the server. OpenSSL itself can, on the same PEM text Qt has accepted.
bool keyBelongsToCertificate(const QSslCertificate &certificate, const QSslKey &key)
{
    const QByteArray certificatePem = certificate.toPem();
    const QByteArray keyPem = key.toPem();
    const std::unique_ptr<BIO, decltype(&BIO_free)> certificateBio(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())), &BIO_free);
    const std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), &BIO_free);
    if (!certificateBio || !keyBio)
        return false;
    const std::unique_ptr<X509, decltype(&X509_free)> x509(
        PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr), &X509_free);
    // A passphrase callback that refuses: OpenSSL's default one would prompt on the terminal.
    const auto noPassphrase = [](char *, int, int, void *) {
        return 0;
    };
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> privateKey(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr), &EVP_PKEY_free);
    const bool matches = x509 && privateKey && X509_check_private_key(x509.get(), privateKey.get());
    // A mismatch leaves its reason in this thread's OpenSSL error queue, where Qt's next TLS
    // call on the thread would find it and take it for its own.
    ERR_clear_error();
    return matches;
}

} // namespace

std::variant<QSslConfiguration, QString> ApiTlsConfiguration::load() const
{
    if (certificatePath.isEmpty())
        return tr("The TLS key %1 needs its certificate as well.").arg(keyPath);
    if (keyPath.isEmpty())
        return tr("The TLS certificate %1 needs its private key as well.").arg(certificatePath);
    if (!QSslSocket::supportsSsl())
        return tr("HTTPS is not available: Qt found no TLS library (OpenSSL) on this system.");

    QString error;
    const std::optional<QByteArray> certificatePem = readPem(certificatePath, &error);
    if (!certificatePem)
        return tr("Could not read the TLS certificate %1: %2").arg(certificatePath, error);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return tr("The TLS certificate file %1 holds no PEM certificate.").arg(certificatePath);

    const std::optional<QByteArray> keyPem = readPem(keyPath, &error);
    if (!keyPem)
        return tr("Could not read the TLS key %1: %2").arg(keyPath, error);
    if (keyPem->contains("ENCRYPTED")) {
        return tr("The TLS key %1 is protected by a passphrase, which the server cannot ask for; "
                  "store it without one (openssl pkey -in KEY -out NEWKEY) and restrict who may "
                  "read the file.")
            .arg(keyPath);
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return tr("The TLS key file %1 holds no PEM private key (RSA, EC or DSA).").arg(keyPath);
    if (!keyBelongsToCertificate(chain.first(), key)) {
        return tr("The TLS key %1 does not belong to the certificate %2.")
            .arg(keyPath, certificatePath);
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    // Clients are not asked for certificates; who may call the API is decided over HTTP.
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}
