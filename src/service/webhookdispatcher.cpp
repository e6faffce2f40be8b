#include "webhookdispatcher.h"

#include "database.h"
#include "secretskey.h"
#include "servicelogging.h"
#include "storageerror.h"
#include "webhooksignature.h"

#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QScopeGuard>

namespace {

// Events turned into deliveries per webhook and transaction.
constexpr int kQueueBatch = 500;
// A taken delivery is left alone this long past its attempt's time-out.
constexpr std::chrono::milliseconds kLeaseMargin{5'000};
// A node that cannot open a webhook's secret leaves its deliveries this long to the others.
constexpr std::chrono::milliseconds kForeignKeyPause{60'000};
// An answer's body is read and dropped; a receiver that keeps sending is cut off at this.
constexpr qint64 kMaxAnswerBytes = 64 * 1024;

std::chrono::milliseconds fromMs(qint64 ms)
{
    return std::chrono::milliseconds(ms);
}

} // namespace

WebhookDispatcher::Options
WebhookDispatcher::Options::fromEnvironment(const QProcessEnvironment &environment,
                                            QStringList *errors)
{
    Options options;
    const auto seconds = [&](QLatin1StringView variable, std::chrono::milliseconds &target) {
        if (!environment.contains(variable))
            return;
        bool number = false;
        const double value = environment.value(variable).toDouble(&number);
        if (number && value > 0 && value <= 86'400)
            target = fromMs(qint64(value * 1000));
        else if (errors)
            errors->append(QStringLiteral("%1 must be a number of seconds above 0, at most 86400")
                               .arg(variable));
    };
    seconds(kTimeoutVariable, options.timeout);
    seconds(kRetryVariable, options.firstRetryDelay);
    options.maxRetryDelay = std::max(options.maxRetryDelay, options.firstRetryDelay);
    return options;
}

WebhookDispatcher::WebhookDispatcher(const Database &database, SecretsKey &key,
                                     const Options &options)
    : m_database(database)
    , m_key(key)
    , m_options(options)
    , m_retry(options.maxAttempts, options.firstRetryDelay, options.maxRetryDelay,
              options.maxRetryDelay)
    , m_poll(this)
{
    m_poll.setInterval(m_options.pollInterval);
    connect(&m_poll, &QTimer::timeout, this, &WebhookDispatcher::work);
}

WebhookDispatcher::~WebhookDispatcher()
{
    m_stopping = true;
    m_poll.stop();
    // Their deliveries stay taken until the lease runs out, and are then tried again.
    const QList<QNetworkReply *> replies = m_inFlight.keys();
    for (QNetworkReply *reply : replies)
        reply->abort();
    m_repository.reset();
    m_database.closeThreadConnection();
}

void WebhookDispatcher::start()
{
    // Made here, on the dispatcher's thread: the manager keeps objects that moveToThread() would
    // leave behind.
    m_network = new QNetworkAccessManager(this);
    m_poll.start();
    work();
}

void WebhookDispatcher::wake()
{
    work();
}

WebhookRepository &WebhookDispatcher::repository()
{
    if (!m_repository)
        m_repository = std::make_unique<WebhookRepository>(m_database);
    return *m_repository;
}

void WebhookDispatcher::dropLostConnection()
{
    if (!m_database.isThreadConnectionLost())
        return;
    m_repository.reset();
    m_database.closeThreadConnection();
}

void WebhookDispatcher::work()
{
    // A settled attempt calls back in while a round's claim is still being sent; a change
    // announced before start() waits for it.
    if (m_stopping || !m_network || std::exchange(m_working, true))
        return;
    const auto done = qScopeGuard([this] { m_working = false; });
    try {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        while (repository().queueNewEvents(kQueueBatch, now) == kQueueBatch) {
        }
        if (!m_lastTrim.isValid() || m_lastTrim.secsTo(now) >= 3600) {
            m_lastTrim = now;
            repository().trimSettledBefore(now.addDays(-kRetentionDays));
        }
        const int room = m_options.maxInFlight - int(m_inFlight.size());
        if (room <= 0)
            return;
        const std::optional<SecretBox> box = m_key.forOpening();
        if (!box) {
            // Nothing is taken: the deliveries wait, whole, for a node that can sign them.
            if (const QString problem = m_key.problem();
                problem != m_keyProblemLogged && repository().hasDue(now)) {
                m_keyProblemLogged = problem;
                qCWarning(lcService).noquote()
                    << "Webhooks are not sent from this node:" << problem;
            }
            return;
        }
        // Taken only now, so that the claim outlasts the attempt by the whole margin.
        const QDateTime claimed = QDateTime::currentDateTimeUtc();
        const QList<WebhookRepository::Attempt> attempts = repository().claimDue(
            room, claimed, claimed.addMSecs((m_options.timeout + kLeaseMargin).count()));
        for (const WebhookRepository::Attempt &attempt : attempts) {
            const std::optional<QByteArray> secret = box->open(attempt.sealedSecret);
            const std::optional<QByteArray> signingKey =
                secret ? WebhookSignature::keyOf(QString::fromLatin1(*secret)) : std::nullopt;
            if (!signingKey) {
                // Not the delivery's fault: it is handed back, uncounted, for a node that has
                // the key, and this one leaves it alone for a while.
                repository().releaseClaim(
                    attempt, claimed.addMSecs(kForeignKeyPause.count()),
                    QStringLiteral("A node whose secrets key does not open this webhook's secret "
                                   "passed it over: nodes that share a database must share the "
                                   "key."));
                qCWarning(lcService).noquote()
                    << "This node's secrets key does not open the secret of webhook"
                    << attempt.webhookId << "(nodes that share a database must share the key)";
                continue;
            }
            send(attempt, *signingKey);
        }
    } catch (const StorageError &error) {
        qCWarning(lcService).noquote() << "Webhook deliveries wait:" << error.message();
        dropLostConnection();
    }
}

void WebhookDispatcher::send(const WebhookRepository::Attempt &attempt,
                             const QByteArray &signingKey)
{
    QNetworkRequest request(attempt.url);
    request.setTransferTimeout(int(m_options.timeout.count()));
    // A redirect would take a signed ticket event somewhere the admin never named.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("support-console-webhooks/" SUPPORT_CONSOLE_VERSION));
    const QByteArray id = QByteArray::number(attempt.eventId);
    const qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    request.setRawHeader(QByteArrayLiteral("webhook-id"), id);
    request.setRawHeader(QByteArrayLiteral("webhook-timestamp"), QByteArray::number(timestamp));
    request.setRawHeader(QByteArrayLiteral("webhook-signature"),
                         WebhookSignature::sign(signingKey, id, timestamp, attempt.body));
    QNetworkReply *reply = m_network->post(request, attempt.body);
    m_inFlight.insert(reply, attempt.deliveryId);
    // The transfer time-out only notices silence; a receiver that trickles its answer must not
    // outlast the claim, or another node would send the delivery meanwhile.
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, &QNetworkReply::abort);
    deadline->start(m_options.timeout);
    // The answer's body is not kept: what an address answers is not for the log to show.
    auto received = std::make_shared<qint64>(0);
    connect(reply, &QNetworkReply::readyRead, reply, [reply, received] {
        *received += reply->readAll().size();
        if (*received > kMaxAnswerBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, attempt] { settle(reply, attempt); });
}

void WebhookDispatcher::settle(QNetworkReply *reply, const WebhookRepository::Attempt &attempt)
{
    m_inFlight.remove(reply);
    reply->deleteLater();
    if (m_stopping)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Stored as written, untranslated: the log is read over the API too, in any language.
    try {
        if (status >= 200 && status <= 299) {
            repository().markDelivered(attempt, status, now);
        } else if (status != 0) {
            QString error =
                QStringLiteral("The receiver answered %1 %2.")
                    .arg(status)
                    .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
            if (status >= 300 && status <= 399)
                error += QStringLiteral(" Redirects are not followed: register the final URL.");
            std::optional<std::chrono::milliseconds> retryAfter;
            if (RetryPolicy::honoursRetryAfter(status))
                retryAfter = RetryPolicy::parseRetryAfter(reply->rawHeader("Retry-After"), now);
            recordFailure(attempt, status, error, retryAfter);
        } else if (reply->error() == QNetworkReply::OperationCanceledError ||
                   reply->error() == QNetworkReply::TimeoutError) {
            recordFailure(attempt, 0,
                          QStringLiteral("The receiver did not answer within %1 s.")
                              .arg(double(m_options.timeout.count()) / 1000.0));
        } else {
            recordFailure(attempt, 0, reply->errorString());
        }
    } catch (const StorageError &error) {
        // The delivery stays taken until its claim runs out, and is then tried again.
        qCWarning(lcService).noquote() << "Could not note a webhook attempt:" << error.message();
        dropLostConnection();
    }
    Q_EMIT deliveryAttempted(attempt.webhookId);
    work();
}

void WebhookDispatcher::recordFailure(const WebhookRepository::Attempt &attempt, int status,
                                      const QString &error,
                                      std::optional<std::chrono::milliseconds> retryAfter)
{
    std::optional<std::chrono::milliseconds> delay = m_retry.nextDelay(attempt.attempts, true);
    // A receiver that asks for a pause (429, 503) gets at least the backoff and at most the
    // longest wait; asking for none does not spend the attempts at once.
    if (delay && retryAfter)
        delay = std::max(*delay, std::min(*retryAfter, m_options.maxRetryDelay));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    repository().markAttemptFailed(attempt, status, error,
                                   delay ? now.addMSecs(delay->count()) : QDateTime());
    qCInfo(lcService).noquote() << "Webhook" << attempt.webhookId << "event" << attempt.eventId
                                << "attempt" << attempt.attempts << "failed:" << error
                                << (delay ? "(tried again later)" : "(given up)");
}
