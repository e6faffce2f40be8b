#include "rawhttpconnection.h"

#include <QHostAddress>
#include <QTcpSocket>

RawHttpConnection::RawHttpConnection(quint16 port, const QByteArray &token, QObject *parent)
    : QObject(parent)
    , m_port(port)
    , m_headers("Host: 127.0.0.1:" + QByteArray::number(port) + "\r\nAuthorization: Bearer " +
                token + "\r\n")
    , m_socket(new QTcpSocket(this))
{
    connect(m_socket, &QTcpSocket::connected, this, &RawHttpConnection::opened);
    connect(m_socket, &QTcpSocket::readyRead, this, &RawHttpConnection::readResponses);
    // Answers that arrived before the connection dropped still count: read them first.
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        readResponses();
        close(QStringLiteral("closed by the server"));
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        readResponses();
        close(m_socket->errorString());
    });
}

RawHttpConnection::~RawHttpConnection()
{
    // No closed() from a connection that is being torn down on purpose.
    m_closed = true;
    m_socket->abort();
}

void RawHttpConnection::open()
{
    m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
}

bool RawHttpConnection::isIdle() const
{
    return !m_closed && !m_inFlight && m_socket->state() == QAbstractSocket::ConnectedState;
}

void RawHttpConnection::send(const QByteArray &method, const QByteArray &path,
                             const QByteArray &jsonBody)
{
    Q_ASSERT(isIdle());
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\n" + m_headers;
    if (!jsonBody.isNull()) {
        request += "Content-Type: application/json\r\nContent-Length: " +
                   QByteArray::number(jsonBody.size()) + "\r\n";
    }
    request += "\r\n" + jsonBody;
    m_inFlight = true;
    m_socket->write(request);
}

void RawHttpConnection::readResponses()
{
    if (m_closed)
        return;
    m_buffer += m_socket->readAll();
    // The server answers in order and we send one at a time, but keep reading to be safe.
    for (int guard = 0; guard < 64 && !m_closed; ++guard) {
        int status = 0;
        QByteArray body;
        bool malformed = false;
        if (!takeResponse(&status, &body, &malformed)) {
            if (malformed)
                close(QStringLiteral("malformed response"));
            return;
        }
        m_inFlight = false;
        Q_EMIT responseReceived(status, body);
    }
}

bool RawHttpConnection::takeResponse(int *status, QByteArray *body, bool *malformed)
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return false;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    bool ok = false;
    *status = statusLine.size() >= 2 ? statusLine.at(1).toInt(&ok) : 0;
    if (!ok || !statusLine.first().startsWith("HTTP/1.")) {
        *malformed = true;
        return false;
    }
    qsizetype contentLength = 0;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }

    const qsizetype bodyStart = headerEnd + 4;
    if (!chunked) {
        if (m_buffer.size() - bodyStart < contentLength)
            return false;
        *body = m_buffer.mid(bodyStart, contentLength);
        m_buffer.remove(0, bodyStart + contentLength);
        return true;
    }

    // Chunked: only complete once the zero-size chunk and its trailer have arrived.
    QByteArray decoded;
    qsizetype position = bodyStart;
    for (int guard = 0; guard < 100000; ++guard) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n", position);
        if (lineEnd < 0)
            return false;
        const qsizetype size =
            m_buffer.mid(position, lineEnd - position).split(';').first().toLongLong(&ok, 16);
        if (!ok) {
            *malformed = true;
            return false;
        }
        position = lineEnd + 2;
        if (size == 0) {
            const qsizetype trailerEnd = m_buffer.indexOf("\r\n", position);
            if (trailerEnd < 0)
                return false;
            *body = decoded;
            m_buffer.remove(0, trailerEnd + 2);
            return true;
        }
        if (m_buffer.size() < position + size + 2)
            return false;
        decoded += m_buffer.mid(position, size);
        position += size + 2;
    }
    *malformed = true;
    return false;
}

void RawHttpConnection::close(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_socket->abort();
    Q_EMIT closed(m_inFlight, reason);
}
