#pragma once

#include "accesslog.h"
#include "actor.h"
#include "apierror.h"
#include "balancedtcpserver.h"
#include "connectionlimiter.h"
#include "httpconnection.h"
#include "scope.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QMultiHash>
#include <QObject>

#include <atomic>
#include <memory>

class QTcpSocket;
class ApiGuard;
class HealthController;
class DraftsController;
class EventHub;
class EventsController;
class FeedbackController;
class MessagesController;
class RequestsController;
class StatsController;
class TicketService;
class TicketSession;
class WebhooksController;

// The HTTP API as served by one thread: construct it, move it to its thread and call serve()
// there with a listening socket. Each client's connection is an HttpConnection, which frames
// requests strictly and within limits; this routes them, checks them with the guard and
// answers with the JSON envelope. It opens that thread's own TicketSession and closes the
// thread's connection when destroyed. ApiService runs several of these on one port.
class ApiServer final : public QObject
{
    Q_OBJECT

public:
    // How connections are capped (shared by the node's API threads), framed and timed; set
    // before serve(). Without a limiter no connection is refused for their number.
    void setConnectionLimits(std::shared_ptr<ConnectionLimiter> limiter,
                             const HttpRequestParser::Limits &framing,
                             const HttpConnection::Timeouts &timeouts);
    // The longest "Prefer: wait=N" honoured; a larger N waits this long.
    static constexpr int kMaxWaitSeconds = 30;

    struct Route
    {
        QHttpServerRequest::Method method;
        QString path; // as OpenAPI writes it: "/requests/{id}"
        // What a token must allow; none for the few endpoints open to anyone.
        std::optional<Scope> scope;
    };
    // Every method and path the server answers, for the OpenAPI document to be checked against.
    static QList<Route> routes();

    // Without a classification service behind the ticket service, nothing waits for one. The
    // guard is shared with the node's other API threads.
    ApiServer(TicketService &tickets, std::shared_ptr<ApiGuard> guard, QObject *parent = nullptr);
    ~ApiServer() override;

    // Accepts connections on an already listening socket, which it then owns, taking turns
    // with the other servers of the ring. Returns false with the reason in errorString().
    bool serve(qintptr listeningSocket, std::shared_ptr<BalancedTcpServer::Ring> ring);
    // Answers every client still waiting for a classification with the ticket as it is now,
    // so that a stop never leaves a stored ticket unacknowledged. Call on the server's thread.
    void answerAllWaiters();
    QString errorString() const { return m_errorString; }
    // Counts every answered request there, for the window's status bar. Set before serve().
    void setRequestCounter(std::atomic<qint64> *counter) { m_requestCounter = counter; }
    // Where answered requests are logged, shared by the node's API threads; none logs nothing.
    void setAccessLog(std::shared_ptr<AccessLog> log) { m_accessLog = std::move(log); }

private:
    struct Call
    {
        const HttpRequest &request;
        // The path's {id}, and its {message} where it has one.
        QString pathArgument;
        QString messageArgument;
        QJsonObject json;
        // Who the credential says is acting, and what it may do; the system for open endpoints.
        Actor actor;
        Scopes scopes;
    };
    using Handler = ApiResult (ApiServer::*)(const Call &);
    struct Endpoint
    {
        QHttpServerRequest::Method method;
        QLatin1String path;
        Handler handler;
        std::optional<Scope> scope;
    };
    static const QList<Endpoint> &endpoints();

    // A client that asked to wait for the classification of the ticket it submitted.
    struct Waiter
    {
        HttpResponder responder;
        ApiReply reply;
        QByteArray requestLine;
        QElapsedTimer timer;
    };

    // The answer to a request that serve() took, once it is known; parked until its
    // classification is stored when the client sent "Prefer: wait".
    void respond(ApiResult &&result, std::optional<int> waitSeconds, HttpResponder &&responder,
                 const QByteArray &requestLine, const QElapsedTimer &timer);
    void accept(QTcpSocket *socket);
    // Every request: its answer may follow a commit, a classification or a refusal's delay.
    void serve(HttpRequest &&request, HttpResponder &&responder);
    static HttpResponse toResponse(ApiResult &&result);
    void answerWaiters(const QList<qint64> &ticketIds);
    void answerWaiter(qint64 ticketId, const std::shared_ptr<Waiter> &waiter);
    // Browsers' cross-origin headers, for an origin the guard's policy allows.
    void addCorsHeaders(const HttpRequest &request, ApiResult &result) const;
    ApiResult dispatch(const HttpRequest &request, QLatin1String path,
                       const QStringList &pathArguments);
    // This thread's session and the controllers that use it. openSession() throws StorageError.
    void openSession();
    void closeSession();
    QByteArray requestLine(const HttpRequest &request) const;
    void logRequest(const QByteArray &requestLine, const HttpResponse &response,
                    const QElapsedTimer &timer);

    ApiResult createRequest(const Call &call);
    ApiResult getRequest(const Call &call);
    ApiResult changeRequest(const Call &call);
    ApiResult getRequestHistory(const Call &call);
    ApiResult listMessages(const Call &call);
    ApiResult listReplies(const Call &call);
    ApiResult addMessage(const Call &call);
    ApiResult setMessageDelivery(const Call &call);
    ApiResult draftReply(const Call &call);
    ApiResult getFeedback(const Call &call);
    ApiResult recordFeedback(const Call &call);
    ApiResult listRequests(const Call &call);
    ApiResult getEvents(const Call &call);
    ApiResult listWebhooks(const Call &call);
    ApiResult addWebhook(const Call &call);
    ApiResult getWebhook(const Call &call);
    ApiResult removeWebhook(const Call &call);
    ApiResult listWebhookDeliveries(const Call &call);
    ApiResult getStats(const Call &call);
    ApiResult getHealth(const Call &call);
    ApiResult getHealthDetail(const Call &call);
    ApiResult getOpenApi(const Call &call);

    TicketService &m_tickets;
    std::shared_ptr<ApiGuard> m_guard;
    std::shared_ptr<ConnectionLimiter> m_connections;
    HttpRequestParser::Limits m_limits;
    HttpConnection::Timeouts m_timeouts;
    std::unique_ptr<TicketSession> m_session;
    std::unique_ptr<RequestsController> m_requests;
    std::unique_ptr<MessagesController> m_messages;
    std::unique_ptr<FeedbackController> m_feedback;
    std::unique_ptr<DraftsController> m_drafts;
    std::unique_ptr<EventHub> m_eventHub;
    std::unique_ptr<EventsController> m_events;
    std::unique_ptr<StatsController> m_stats;
    std::unique_ptr<WebhooksController> m_webhooks;
    std::unique_ptr<HealthController> m_health;
    QByteArray m_openApi;
    QMultiHash<qint64, std::shared_ptr<Waiter>> m_waiters;
    QString m_errorString;
    std::atomic<qint64> *m_requestCounter = nullptr;
    std::shared_ptr<AccessLog> m_accessLog;
};
