#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

// An answer as HttpConnection writes it: status, headers and the whole body. The connection adds
// the framing headers itself (Content-Length, Connection), so a handler cannot get them wrong.
struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};
