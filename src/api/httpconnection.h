#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"
#include "httpstream.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;
class HttpConnection;

// The one way to answer a request HttpConnection handed out: once, from the connection's thread,
// now or later. An answer to a client that has gone is dropped.
class HttpResponder final
{
public:
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    Q_DISABLE_COPY(HttpResponder)
    ~HttpResponder();

    void respond(HttpResponse response);
    // Answers with a head now and a body that follows in pieces, without a length: the
    // connection closes when the stream ends. The response's body is ignored. The stream is
    // gone already when the client has; for a HEAD request, it has ended.
    HttpStream startStream(HttpResponse head);
    // The client has gone, so nobody will read an answer.
    bool isGone() const { return !m_connection; }

private:
    friend class HttpConnection;
    explicit HttpResponder(HttpConnection *connection);

    QPointer<HttpConnection> m_connection;
};

// One client's connection: reads its requests with HttpRequestParser, hands each to the handler
// and writes the answers, one request at a time, so they leave in request order and a client
// that pipelines waits in its own socket buffer, not in this process's memory. It answers framing
// problems itself and closes, honours "Connection: close" and HTTP/1.0, sends no body for HEAD,
// and closes a connection whose head or body is too slow in coming, or that idles between
// requests too long. A request being answered is never idle, however long it waits, and neither
// is a streamed answer, which ends the connection.
class HttpConnection final : public QObject
{
    Q_OBJECT

public:
    struct Timeouts
    {
        // From a request's first byte to the end of its head: a slowloris client's limit.
        std::chrono::milliseconds head{10'000};
        // From the end of the head to the end of the body.
        std::chrono::milliseconds body{30'000};
        // Between requests, and before the first.
        std::chrono::milliseconds idle{60'000};
    };
    using Handler = std::function<void(HttpRequest &&, HttpResponder &&)>;
    // The answer to a request refused before any handler saw it: its status and why.
    using ProblemAnswer = std::function<HttpResponse(int status, const QString &message)>;

    // Takes the socket, connected, on this thread, and closes and deletes itself with it.
    HttpConnection(QTcpSocket *socket, const HttpRequestParser::Limits &limits,
                   const Timeouts &timeouts, Handler handler, ProblemAnswer problemAnswer,
                   QObject *parent = nullptr);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    QTcpSocket *socket() const { return m_socket; }
    // Answers with this status before reading anything, and closes: the client may not be
    // served at all now.
    void refuseAtOnce(int status, const QString &message) { refuse(status, message); }
    // Held until the connection closes, such as its place among the node's connections.
    void keepUntilClosed(std::shared_ptr<void> resource) { m_kept = std::move(resource); }

Q_SIGNALS:
    void closed();

private:
    friend class HttpResponder;
    friend class HttpStream;
    bool startStream(const HttpResponse &head);
    bool writeStreamed(const QByteArray &piece);
    void endStream();
    bool isStreaming() const { return m_waiting == Waiting::Streaming; }
    bool isFinished() const { return m_finished; }
    void readRequests();
    void answer(HttpResponse response);
    void refuse(int status, const QString &message);
    void write(const HttpResponse &response, bool withBody, bool close, bool withLength = true);
    void armTimer();
    void setDeadline(std::chrono::milliseconds timeout);
    void deadlineCheck();
    void timedOut();
    // After a refusal the client may still be sending what was refused; closing at once would
    // reset the connection and lose the answer. So the answer goes out, the sending side shuts,
    // and what still comes is read and dropped, for a short while and up to a bound.
    void lingerAndClose();
    void closeWhenSent();
    void discardUntilClosed();
    void abort();
    // Once, however the connection ended.
    void finish();

    QTcpSocket *m_socket;
    HttpRequestParser m_parser;
    Timeouts m_timeouts;
    Handler m_handler;
    ProblemAnswer m_problemAnswer;
    QByteArray m_unread;
    QTimer m_timer;
    // When the connection times out in its present state; forever while a request waits for its
    // answer. The timer fires at m_timerDue, never after the deadline.
    QDeadlineTimer m_deadline{QDeadlineTimer::Forever};
    QDeadlineTimer m_timerDue;
    enum class Waiting { Idle, Head, Body, Answer, Streaming, Closing, Lingering };
    Waiting m_waiting = Waiting::Idle;
    // Of the request being answered.
    bool m_isHead = false;
    bool m_keepAlive = true;
    bool m_continueSent = false;
    qint64 m_discarded = 0;
    bool m_finished = false;
    std::shared_ptr<void> m_kept;
};
