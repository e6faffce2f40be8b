#pragma once

#include <QSslConfiguration>
#include <QString>

#include <chrono>
#include <variant>

// Where the API's TLS certificate and private key are, as PEM files. Only the paths are kept
// (settings hold them too); the key itself is read when the API starts.
struct ApiTlsConfiguration
{
    // Long enough for a client across a slow link, short enough that connections which never
    // start a handshake do not pile up on a worker.
    static constexpr std::chrono::milliseconds kDefaultHandshakeTimeout{10'000};

    // The server's certificate, optionally followed by its intermediate certificates.
    QString certificatePath;
    // Its private key (RSA, EC or DSA), not protected by a passphrase.
    QString keyPath;
    // A client that has not finished its handshake by then is disconnected.
    std::chrono::milliseconds handshakeTimeout = kDefaultHandshakeTimeout;

    // Either path set asks for HTTPS; load() then insists on both.
    bool isEnabled() const { return !certificatePath.isEmpty() || !keyPath.isEmpty(); }

    // Reads both files and checks that the key belongs to the certificate, so that a mistake
    // stops the start instead of failing every client's handshake. Returns the configuration a
    // server socket needs, or a message naming the file and what is wrong with it.
    std::variant<QSslConfiguration, QString> load() const;
};
