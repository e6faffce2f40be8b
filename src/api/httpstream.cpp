#include "httpstream.h"

#include "httpconnection.h"

HttpStream::HttpStream(HttpConnection *connection)
    : m_connection(connection)
{}

HttpStream::HttpStream(HttpStream &&other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
{}

HttpStream &HttpStream::operator=(HttpStream &&other) noexcept
{
    std::swap(m_connection, other.m_connection);
    return *this;
}

HttpStream::~HttpStream()
{
    end();
}

bool HttpStream::write(const QByteArray &piece)
{
    return m_connection && m_connection->writeStreamed(piece);
}

void HttpStream::end()
{
    if (const QPointer<HttpConnection> connection = std::exchange(m_connection, nullptr))
        connection->endStream();
}

bool HttpStream::isGone() const
{
    return !m_connection || !m_connection->isStreaming();
}

void HttpStream::onClosed(QObject *context, std::function<void()> whenClosed) const
{
    // A connection may close while its stream starts (a HEAD request's, or one whose client
    // left): then it is said soon, never during the call.
    if (!m_connection || m_connection->isFinished()) {
        QMetaObject::invokeMethod(context, std::move(whenClosed), Qt::QueuedConnection);
        return;
    }
    QObject::connect(m_connection, &HttpConnection::closed, context, std::move(whenClosed),
                     Qt::SingleShotConnection);
}
