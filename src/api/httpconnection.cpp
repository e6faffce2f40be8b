#include "httpconnection.h"

#include "apilogging.h"

#include <QTcpSocket>

#include <http_parser.h>
#include <sys/socket.h>

namespace {

// What the client's socket buffers while a request is answered; beyond it TCP makes the client
// wait, so a pipelining client cannot fill this process's memory.
constexpr qint64 kReadBufferBytes = 64 * 1024;
// How long, and how much, a refused client may go on sending before the connection is reset.
constexpr std::chrono::milliseconds kLinger{2000};
constexpr qint64 kMaxLingerBytes = 16 * 1024 * 1024;

int statusFor(HttpRequestParser::Problem problem)
{
    switch (problem) {
    case HttpRequestParser::Problem::None:
    case HttpRequestParser::Problem::Malformed:
        return 400;
    case HttpRequestParser::Problem::TargetTooLong:
        return 414;
    case HttpRequestParser::Problem::HeadTooLarge:
        return 431;
    case HttpRequestParser::Problem::BodyTooLarge:
        return 413;
    case HttpRequestParser::Problem::UnknownMethod:
        return 501;
    case HttpRequestParser::Problem::UnsupportedVersion:
        return 505;
    }
    return 400;
}

// RFC 9110 6.4.1: these never carry content, not even for a GET.
bool mayHaveBody(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

// The connection writes these itself from what it knows; a handler's would contradict it.
bool isFramingHeader(QByteArrayView name)
{
    return name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
           name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0 ||
           name.compare("Connection", Qt::CaseInsensitive) == 0;
}

} // namespace

HttpResponder::HttpResponder(HttpConnection *connection)
    : m_connection(connection)
{}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
{}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    std::swap(m_connection, other.m_connection);
    return *this;
}

HttpResponder::~HttpResponder()
{
    // Dropped unanswered: a bug, but the client still gets an answer, not a hang.
    if (m_connection) {
        m_connection->answer(
            m_connection->m_problemAnswer(500, QStringLiteral("The server did not answer.")));
    }
}

void HttpResponder::respond(HttpResponse response)
{
    if (const QPointer<HttpConnection> connection = std::exchange(m_connection, nullptr))
        connection->answer(std::move(response));
}

HttpStream HttpResponder::startStream(HttpResponse head)
{
    QPointer<HttpConnection> connection = std::exchange(m_connection, nullptr);
    if (connection && !connection->startStream(head))
        connection = nullptr;
    return HttpStream(connection);
}

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpRequestParser::Limits &limits,
                               const Timeouts &timeouts, Handler handler,
                               ProblemAnswer problemAnswer, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_parser(limits)
    , m_timeouts(timeouts)
    , m_handler(std::move(handler))
    , m_problemAnswer(std::move(problemAnswer))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::deadlineCheck);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readRequests);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    armTimer();
    // Bytes may have arrived before this object listened for them.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readRequests, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::readRequests()
{
    if (m_waiting == Waiting::Lingering) {
        discardUntilClosed();
        return;
    }
    if (m_waiting == Waiting::Answer || m_waiting == Waiting::Streaming ||
        m_waiting == Waiting::Closing)
        return;
    m_unread += m_socket->readAll();
    while (!m_unread.isEmpty()) {
        const qsizetype used = m_parser.feed(m_unread);
        m_unread.remove(0, used);
        if (m_parser.problem() != HttpRequestParser::Problem::None) {
            refuse(statusFor(m_parser.problem()), m_parser.problemText());
            return;
        }
        if (m_parser.hasRequest()) {
            HttpRequest request = m_parser.takeRequest();
            request.peer = m_socket->peerAddress();
            m_isHead = request.method == "HEAD";
            m_keepAlive = request.keepAlive;
            m_continueSent = false;
            m_waiting = Waiting::Answer;
            m_deadline = QDeadlineTimer(QDeadlineTimer::Forever);
            m_handler(std::move(request), HttpResponder(this));
            return;
        }
        if (used == 0)
            break;
    }
    // RFC 9110 10.1.1: a client that asked waits for this before sending the body; a body
    // refused by its length never gets it, and is never sent.
    if (m_parser.hasHead() && !m_continueSent &&
        m_parser.current().header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
        m_continueSent = true;
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    armTimer();
}

void HttpConnection::answer(HttpResponse response)
{
    if (m_waiting != Waiting::Answer)
        return;
    write(response, !m_isHead, !m_keepAlive);
    if (!m_keepAlive) {
        closeWhenSent();
        return;
    }
    // A pipelined request already here is read next; queued, not called, so that a pipeline of
    // answers made at once does not nest one call per request. Otherwise the next readyRead
    // brings it.
    if (!m_unread.isEmpty() || m_socket->bytesAvailable() > 0) {
        m_waiting = Waiting::Idle;
        QMetaObject::invokeMethod(this, &HttpConnection::readRequests, Qt::QueuedConnection);
    } else {
        armTimer();
    }
}

bool HttpConnection::startStream(const HttpResponse &head)
{
    if (m_waiting != Waiting::Answer)
        return false;
    // Events are small and each is wanted at once: Nagle's algorithm would hold one back until
    // the client acknowledged the one before.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    HttpResponse withoutBody = head;
    withoutBody.body.clear();
    write(withoutBody, false, true, false);
    m_waiting = Waiting::Streaming;
    if (m_isHead)
        endStream();
    return true;
}

bool HttpConnection::writeStreamed(const QByteArray &piece)
{
    if (m_waiting != Waiting::Streaming)
        return false;
    if (m_socket->bytesToWrite() + piece.size() > HttpStream::kMaxUnsentBytes) {
        qCInfo(lcApi) << "Dropping a client that does not read its stream:"
                      << m_socket->peerAddress().toString();
        abort();
        return false;
    }
    return m_socket->write(piece) == piece.size();
}

void HttpConnection::endStream()
{
    if (m_waiting == Waiting::Streaming)
        closeWhenSent();
}

void HttpConnection::refuse(int status, const QString &message)
{
    qCDebug(lcApi).noquote() << "Closing a connection:" << status << message;
    write(m_problemAnswer(status, message), true, true);
    lingerAndClose();
}

void HttpConnection::lingerAndClose()
{
    m_waiting = Waiting::Lingering;
    m_unread.clear();
    setDeadline(kLinger);
    const auto shutWrite = [this] {
        if (m_socket->bytesToWrite() > 0)
            return;
        // Qt has no half-close; the descriptor does, and the client reads the answer, then EOF.
        if (m_socket->flush(); m_socket->bytesToWrite() == 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    connect(m_socket, &QTcpSocket::bytesWritten, this, shutWrite);
    shutWrite();
    discardUntilClosed();
}

void HttpConnection::abort()
{
    m_socket->abort();
    finish();
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // A stream's writer may still hold it until the deferred delete: nothing more is written.
    m_waiting = Waiting::Closing;
    m_timer.stop();
    Q_EMIT closed();
    deleteLater();
}

void HttpConnection::discardUntilClosed()
{
    m_discarded += m_socket->skip(m_socket->bytesAvailable());
    if (m_discarded > kMaxLingerBytes)
        abort();
}

void HttpConnection::write(const HttpResponse &response, bool withBody, bool close, bool withLength)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                     http_status_str(static_cast<http_status>(response.status)) + "\r\n";
    for (const auto &[name, value] : response.headers) {
        if (!isFramingHeader(name))
            out += name + ": " + value + "\r\n";
    }
    const bool hasBody = mayHaveBody(response.status);
    // A HEAD answer says how long the GET's body would be; a streamed one has no length, and
    // its end is the connection's.
    if (hasBody && withLength)
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += close ? "Connection: close\r\n\r\n" : "\r\n";
    if (hasBody && withBody)
        out += response.body;
    m_socket->write(out);
    // Now, not when the event loop next runs: an answer given as the API stops (to a client
    // waiting for a classification) must leave before its thread and socket are gone.
    m_socket->flush();
}

void HttpConnection::armTimer()
{
    if (m_parser.isIdle() && m_unread.isEmpty()) {
        m_waiting = Waiting::Idle;
        setDeadline(m_timeouts.idle);
    } else if (!m_parser.hasHead()) {
        if (m_waiting != Waiting::Head) {
            m_waiting = Waiting::Head;
            setDeadline(m_timeouts.head);
        }
    } else if (m_waiting != Waiting::Body) {
        m_waiting = Waiting::Body;
        setDeadline(m_timeouts.body);
    }
}

// Restarting a QTimer registers it with the event dispatcher again; on a keep-alive connection
// that would be twice per request. The timer is only moved earlier, so a request answered and
// the next one begun cost a clock read each, and a timer that fires early looks again.
void HttpConnection::setDeadline(std::chrono::milliseconds timeout)
{
    m_deadline = QDeadlineTimer(timeout);
    if (!m_timer.isActive() || m_deadline < m_timerDue) {
        m_timer.start(timeout);
        m_timerDue = m_deadline;
    }
}

void HttpConnection::deadlineCheck()
{
    if (m_deadline.isForever())
        return; // a request waiting for its answer; the next deadline starts the timer again
    if (!m_deadline.hasExpired()) {
        m_timer.start(
            std::chrono::ceil<std::chrono::milliseconds>(m_deadline.remainingTimeAsDuration()));
        m_timerDue = m_deadline;
        return;
    }
    timedOut();
}

// Closes once the answer is out. A client that stops reading would keep the connection open
// for as long as its last answer waits to be sent, so that wait has the body's timeout.
void HttpConnection::closeWhenSent()
{
    m_waiting = Waiting::Closing;
    setDeadline(m_timeouts.body);
    m_socket->disconnectFromHost();
}

void HttpConnection::timedOut()
{
    if (m_waiting == Waiting::Lingering || m_waiting == Waiting::Closing) {
        abort();
        return;
    }
    if (m_waiting == Waiting::Idle) {
        closeWhenSent();
        return;
    }
    refuse(408, m_waiting == Waiting::Head
                    ? QStringLiteral("The request's head took too long to arrive.")
                    : QStringLiteral("The request's body took too long to arrive."));
}
