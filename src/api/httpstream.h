#pragma once

#include <QByteArray>
#include <QMetaObject>
#include <QPointer>

#include <functional>

class HttpConnection;

// The body of an answer that HttpResponder::startStream() began, written piece by piece from the
// connection's thread, as a server-sent event stream is. The connection closes once the stream
// ends, or when the last HttpStream holding it is destroyed.
class HttpStream final
{
public:
    HttpStream(HttpStream &&other) noexcept;
    HttpStream &operator=(HttpStream &&other) noexcept;
    Q_DISABLE_COPY(HttpStream)
    ~HttpStream();

    // More than this waiting to be sent means the client is not reading: an event stream's
    // producer cannot wait for it, so the client is dropped rather than buffered without end.
    static constexpr qint64 kMaxUnsentBytes = 1024 * 1024;

    // Sends a piece as soon as the socket takes it. False once the client has gone or was
    // dropped for reading too slowly.
    bool write(const QByteArray &piece);
    // Closes the connection after what was written.
    void end();
    bool isGone() const;
    // Calls whenClosed once, on context's thread, when the connection closes for any reason:
    // the client left, was dropped, or the stream ended; soon when it has closed already.
    void onClosed(QObject *context, std::function<void()> whenClosed) const;

private:
    friend class HttpResponder;
    explicit HttpStream(HttpConnection *connection);

    QPointer<HttpConnection> m_connection;
};
