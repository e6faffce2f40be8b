#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <chrono>
#include <utility>

// Bytes to a server and the answers back, over one raw loopback connection, for what no HTTP
// client library would send: broken framing, pipelines, slow heads. Answers are read with
// Debian's http-parser, as a client would read them.
class RawExchange final
{
public:
    struct Answer
    {
        int status = 0;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QByteArray header(QByteArrayView name) const;
        // The JSON envelope's error code, or empty.
        QString errorCode() const;
    };
    struct Result
    {
        QList<Answer> answers;
        // The server closed the connection.
        bool closed = false;
        // Bytes after the last whole answer: a broken one.
        QByteArray leftover;
    };

    // from: the local address to connect from, 127.0.0.x, so that tests can act as many
    // clients.
    explicit RawExchange(quint16 port, QHostAddress from = QHostAddress(QHostAddress::LocalHost));

    // Sends the bytes, then reads until the server closes, `answers` answers arrived (unless
    // untilClosed), or the time is up. bodiless: which answers are to HEAD requests, which
    // carry no body.
    Result run(const QByteArray &bytes, int answers, std::chrono::milliseconds timeout,
               const QList<bool> &bodiless = {}, bool untilClosed = false) const;

private:
    quint16 m_port;
    QHostAddress m_from;
};
