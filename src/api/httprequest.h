#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>

#include <utility>

// One HTTP/1.x request as it arrived: its head checked by HttpRequestParser, its body whole.
struct HttpRequest
{
    // As sent, case and all: "GET".
    QByteArray method;
    // The request-target as sent, still percent-encoded: "/requests?q=a%20b".
    QByteArray target;
    // HTTP/1.0 or HTTP/1.1.
    int versionMinor = 1;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // The socket's peer: the client, or a proxy in front of it.
    QHostAddress peer;
    // The connection may carry another request after this one: HTTP/1.1 without
    // "Connection: close", or HTTP/1.0 with "Connection: keep-alive".
    bool keepAlive = true;

    // Null when the request has no such header, empty (not null) when it has an empty one; the
    // first when there are several.
    QByteArray header(QByteArrayView name) const;
    // Every line of a header that may come in several, in the order received.
    QList<QByteArray> headerValues(QByteArrayView name) const;
    // The target up to the query, still percent-encoded.
    QByteArray path() const;
    // After the '?', still percent-encoded; null without one.
    QByteArray query() const;
};
