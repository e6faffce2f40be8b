#include "llmclient.h"

#include "ailogging.h"
#include "llmprotocol.h"
#include "piiredactor.h"
#include "sseparser.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHostAddress>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPromise>
#include <QThread>

using namespace Qt::StringLiterals;
using std::chrono::milliseconds;

struct LlmClient::Stream
{
    QPromise<LlmStreamPart> promise;
    SseParser parser;
    // Text handed out so far, over all attempts: retrying after any would repeat it.
    qint64 characters = 0;
    // The server said the answer is complete.
    bool done = false;
    // Why this attempt's stream cannot be read, when it cannot.
    QString unreadable;
    bool canceled = false;
    // On the client's thread: tells it when the caller cancels.
    std::unique_ptr<QFutureWatcher<LlmStreamPart>> cancelWatcher;
};

struct LlmClient::Job
{
    Job() = default;
    Q_DISABLE_COPY_MOVE(Job)
    // A job dropped unfinished (client destroyed with a retry pending or a call still queued
    // to its thread) still ends its future with a result rather than a bare cancellation.
    ~Job()
    {
        if (finished)
            return;
        const QString error =
            QCoreApplication::translate("LlmClient", "The LLM client was shut down.");
        if (stream) {
            stream->promise.addResult(LlmStreamPart{{}, error});
            stream->promise.finish();
            return;
        }
        LlmOutcome outcome;
        outcome.error = error;
        outcome.attempts = attempts;
        outcome.elapsedMs = elapsed.elapsed();
        promise.addResult(std::move(outcome));
        promise.finish();
    }

    // A classification's answer; unused for a stream.
    QPromise<LlmOutcome> promise;
    std::unique_ptr<Stream> stream;
    QByteArray body;
    QElapsedTimer elapsed;
    int attempts = 0;
    // Let through by a half-open breaker: the one request that decides whether it closes.
    bool probe = false;
    bool finished = false;
    QNetworkReply *reply = nullptr;
};

struct LlmClient::AttemptResult
{
    std::optional<Prediction> prediction;
    // A stream that ended complete.
    bool complete = false;
    QString error;
    bool retryable = false;
    std::optional<milliseconds> retryAfter;
};

LlmClient::LlmClient(LlmSettings settings, QObject *parent)
    : LlmClient(std::move(settings), {}, {}, parent)
{}

LlmClient::LlmClient(LlmSettings settings, CircuitBreaker::Clock clock,
                     RetryPolicy::RandomSource random, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_endpoint(m_settings.chatCompletionsUrl())
    , m_retryPolicy(m_settings.maxAttempts, m_settings.backoffBase, m_settings.backoffMax,
                    m_settings.retryAfterMax, std::move(random))
    , m_manager(this)
    , m_halfOpenTimer(this)
    , m_resumeTimer(this)
    , m_breaker(m_settings.breakerFailureThreshold, m_settings.breakerOpenDuration,
                std::move(clock))
{
    m_halfOpenTimer.setSingleShot(true);
    // A coarse timer may fire a little early, and early is still open.
    m_halfOpenTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_halfOpenTimer, &QTimer::timeout, this, &LlmClient::onHalfOpenDue);
    m_resumeTimer.setSingleShot(true);
    connect(&m_resumeTimer, &QTimer::timeout, this, &LlmClient::sendQueued);

    const QHostAddress host(m_endpoint.host());
    const bool loopback = host.isLoopback() || m_endpoint.host() == "localhost"_L1;
    if (!m_settings.apiKey.isEmpty() && m_endpoint.scheme() == "http"_L1 && !loopback)
        qCWarning(lcAi) << "The API key is sent unencrypted over plain http to" << m_endpoint.host()
                        << "- use https";
    qCInfo(lcAi).noquote() << "LLM provider:" << m_settings.describe();
}

LlmClient::~LlmClient()
{
    m_queue.clear();
    const auto jobs = std::exchange(m_jobs, {});
    for (const auto &job : jobs) {
        if (QNetworkReply *reply = std::exchange(job->reply, nullptr)) {
            // Without this the abort below would call back into a half-destroyed client.
            disconnect(reply, nullptr, this, nullptr);
            reply->abort();
            reply->deleteLater();
        }
        // Now, not in the job's destructor: a retry timer may hold the job a while longer.
        if (!job->finished) {
            LlmOutcome outcome;
            outcome.error = tr("The LLM client was shut down.");
            finish(job, std::move(outcome));
        }
    }
}

QFuture<LlmOutcome> LlmClient::classify(const QString &ticketText)
{
    auto job = std::make_shared<Job>();
    job->elapsed.start();
    job->promise.start();
    QFuture<LlmOutcome> future = job->promise.future();

    if (const QString refused = refusal(*job); !refused.isEmpty()) {
        LlmOutcome outcome;
        outcome.error = refused;
        outcome.elapsedMs = job->elapsed.elapsed();
        job->finished = true;
        job->promise.addResult(std::move(outcome));
        job->promise.finish();
        return future;
    }

    // Redacted here, on the caller's thread: the client's thread only moves bytes.
    job->body = LlmProtocol::buildRequest(m_settings.model, PiiRedactor::redact(ticketText));

    if (QThread::currentThread() == thread())
        enqueue(job);
    else
        QMetaObject::invokeMethod(
            this, [this, job] { enqueue(job); }, Qt::QueuedConnection);
    return future;
}

QFuture<LlmStreamPart> LlmClient::stream(QByteArray requestBody)
{
    auto job = std::make_shared<Job>();
    job->elapsed.start();
    job->stream = std::make_unique<Stream>();
    job->stream->promise.start();
    QFuture<LlmStreamPart> future = job->stream->promise.future();
    if (const QString refused = refusal(*job); !refused.isEmpty()) {
        job->finished = true;
        job->stream->promise.addResult(LlmStreamPart{{}, refused});
        job->stream->promise.finish();
        return future;
    }
    job->body = std::move(requestBody);
    const auto start = [this, job, future] {
        // Made here so that it lives on the client's thread, where the reply is aborted.
        job->stream->cancelWatcher = std::make_unique<QFutureWatcher<LlmStreamPart>>();
        connect(job->stream->cancelWatcher.get(), &QFutureWatcherBase::canceled, this,
                [this, job] { cancelStream(job); });
        job->stream->cancelWatcher->setFuture(future);
        enqueue(job);
    };
    if (QThread::currentThread() == thread())
        start();
    else
        QMetaObject::invokeMethod(this, start, Qt::QueuedConnection);
    return future;
}

QString LlmClient::refusal(Job &job)
{
    if (!m_settings.isConfigured())
        return tr("No LLM is configured (URL and model).");
    bool allowed = false;
    milliseconds remaining{0};
    {
        const QMutexLocker locker(&m_mutex);
        allowed = m_breaker.allowRequest();
        job.probe = allowed && m_breaker.state() == CircuitBreaker::State::HalfOpen;
        remaining = m_breaker.remainingOpenTime();
    }
    reportBreakerState();
    if (allowed)
        return {};
    return remaining.count() > 0 ? tr("The circuit breaker is open after repeated failures; the "
                                      "next try is allowed in %1 s.")
                                       .arg((remaining.count() + 999) / 1000)
                                 : tr("The circuit breaker is half-open and its probe is out.");
}

void LlmClient::cancelStream(const std::shared_ptr<Job> &job)
{
    if (job->finished || job->stream->canceled)
        return;
    job->stream->canceled = true;
    if (job->reply) {
        job->reply->abort(); // handleReply() finishes it
        return;
    }
    // Queued or waiting to retry: it never reaches the server.
    if (job->probe) {
        const QMutexLocker locker(&m_mutex);
        m_breaker.releaseProbe();
    }
    std::erase(m_queue, job);
    finish(job, {});
}

CircuitBreaker::State LlmClient::breakerState() const
{
    const QMutexLocker locker(&m_mutex);
    return m_breaker.state();
}

QString LlmClient::lastError() const
{
    const QMutexLocker locker(&m_mutex);
    return m_lastError;
}

QString LlmClient::promptVersion()
{
    return LlmProtocol::kPromptVersion;
}

void LlmClient::enqueue(const std::shared_ptr<Job> &job)
{
    m_jobs.insert(job);
    m_queue.push_back(job);
    sendQueued();
}

void LlmClient::sendQueued()
{
    if (!m_pausedUntil.hasExpired()) {
        m_resumeTimer.start(std::max<qint64>(1, m_pausedUntil.remainingTime()));
        return;
    }
    while (m_inFlight < std::max(1, m_settings.maxConcurrentRequests) && !m_queue.empty()) {
        std::shared_ptr<Job> job = std::move(m_queue.front());
        m_queue.pop_front();
        // The breaker opened while this ticket waited: the server is known to be failing.
        if (!mayProceed(*job)) {
            fail(job, tr("The circuit breaker opened while the ticket waited."), false);
            continue;
        }
        send(job);
    }
}

bool LlmClient::mayProceed(const Job &job) const
{
    // Only the probe may go on while the breaker is not closed; a ticket admitted earlier,
    // when it was still closed, must not turn into a second probe.
    const CircuitBreaker::State state = breakerState();
    return state == CircuitBreaker::State::Closed ||
           (job.probe && state == CircuitBreaker::State::HalfOpen);
}

void LlmClient::send(const std::shared_ptr<Job> &job)
{
    ++job->attempts;
    ++m_inFlight;

    QNetworkRequest request(m_endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader(QByteArrayLiteral("Accept"), job->stream
                                                          ? QByteArrayLiteral("text/event-stream")
                                                          : QByteArrayLiteral("application/json"));
    if (!m_settings.apiKey.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"),
                             "Bearer " + m_settings.apiKey.toUtf8());
    // A redirect would carry the key and the ticket to a host nobody configured.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // The transfer timeout catches a silent server. A classification must also be complete in
    // that time, so a timer catches one that trickles bytes forever; a stream may run as long
    // as the model writes.
    const int timeoutMs = int(std::max<qint64>(1, m_settings.timeout.count()));
    request.setTransferTimeout(timeoutMs);

    QNetworkReply *reply = m_manager.post(request, job->body);
    job->reply = reply;
    if (job->stream) {
        job->stream->parser = SseParser();
        job->stream->unreadable.clear();
        connect(reply, &QIODevice::readyRead, this, [this, job, reply] { readStream(job, reply); });
    } else {
        auto *deadline = new QTimer(reply);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, reply, &QNetworkReply::abort);
        deadline->start(timeoutMs);
    }
    connect(reply, &QNetworkReply::finished, this, [this, job, reply] { handleReply(job, reply); });
    qCDebug(lcAi) << "Attempt" << job->attempts << "of" << m_retryPolicy.maxAttempts();
}

void LlmClient::readStream(const std::shared_ptr<Job> &job, QNetworkReply *reply)
{
    // An error's body is read whole when the reply ends.
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status < 200 || status > 299)
        return;
    Stream &stream = *job->stream;
    for (const SseEvent &event : stream.parser.feed(reply->readAll())) {
        if (stream.done)
            break;
        auto parsed = LlmProtocol::parseStreamData(event.data);
        if (const QString *error = std::get_if<QString>(&parsed)) {
            stream.unreadable = *error;
            reply->abort();
            return;
        }
        const LlmProtocol::StreamDelta &delta = std::get<LlmProtocol::StreamDelta>(parsed);
        if (!delta.text.isEmpty()) {
            stream.characters += delta.text.size();
            stream.promise.addResult(LlmStreamPart{delta.text, {}});
        }
        stream.done = delta.done;
    }
    if (stream.done) {
        // Complete: a server that keeps the connection open must not keep the draft waiting.
        reply->abort();
        return;
    }
    // Each chunk is one line; a server that never ends one must not fill the memory.
    constexpr qsizetype kMaxLineBytes = 1 << 20;
    if (stream.parser.pendingBytes() > kMaxLineBytes ||
        stream.parser.pendingEventCharacters() > kMaxLineBytes) {
        stream.unreadable =
            tr("An event of the stream is longer than %1 bytes.").arg(kMaxLineBytes);
        reply->abort();
    }
}

void LlmClient::handleReply(const std::shared_ptr<Job> &job, QNetworkReply *reply)
{
    --m_inFlight;
    job->reply = nullptr;
    reply->deleteLater();

    if (job->stream && job->stream->canceled) {
        if (job->probe) {
            const QMutexLocker locker(&m_mutex);
            m_breaker.releaseProbe();
        }
        finish(job, {});
        sendQueued();
        return;
    }
    AttemptResult result = evaluate(*job, reply);
    if (result.prediction || result.complete) {
        succeed(job, std::move(result.prediction));
        sendQueued();
        return;
    }
    if (job->stream && job->stream->characters > 0) {
        // Another attempt would write the text already shown a second time.
        result.retryable = false;
        result.error = tr("%1 The reply stopped after %n character(s).", nullptr,
                          int(std::min<qint64>(job->stream->characters, INT_MAX)))
                           .arg(result.error);
    }

    qCDebug(lcAi).noquote() << "Attempt" << job->attempts << "failed:" << result.error;
    const std::optional<milliseconds> delay =
        m_retryPolicy.nextDelay(job->attempts, result.retryable, result.retryAfter);
    if (result.retryAfter && *result.retryAfter <= m_settings.retryAfterMax)
        m_pausedUntil.setRemainingTime(result.retryAfter->count());
    if (delay && mayProceed(*job)) {
        qCDebug(lcAi) << "Retrying in" << delay->count() << "ms";
        QTimer::singleShot(*delay, this, [this, job] {
            if (job->finished)
                return; // canceled meanwhile
            m_queue.push_front(job);
            sendQueued();
        });
    } else {
        QString error = result.error;
        if (result.retryable && job->attempts < m_retryPolicy.maxAttempts()) {
            // Multi-argument arg(): the server's text may itself contain "%1".
            if (!delay && result.retryAfter)
                error = tr("%1 The server asked to wait %2 s, longer than the %3 s this client "
                           "waits.")
                            .arg(error, QString::number((result.retryAfter->count() + 999) / 1000),
                                 QString::number(m_settings.retryAfterMax.count() / 1000));
            else if (delay)
                error = tr("%1 Not retried: the circuit breaker opened meanwhile.").arg(error);
        }
        fail(job, error, true);
    }
    sendQueued();
}

LlmClient::AttemptResult LlmClient::evaluateStream(const Job &job) const
{
    AttemptResult result;
    if (job.stream->done) {
        result.complete = true;
    } else if (!job.stream->unreadable.isEmpty()) {
        result.error = tr("Unusable stream: %1").arg(job.stream->unreadable);
        result.retryable = true;
    }
    return result;
}

LlmClient::AttemptResult LlmClient::evaluate(const Job &job, QNetworkReply *reply) const
{
    // What the stream said outweighs how the connection ended: it was aborted for a reason, or
    // closed after the answer was complete.
    if (job.stream) {
        AttemptResult read = evaluateStream(job);
        if (read.complete || !read.error.isEmpty())
            return read;
    }
    AttemptResult result;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();

    // Errors below 100 are the connection's (refused, reset, timed out); a reset halfway through
    // a body leaves a 200 status behind that must not count as an answer.
    if (!status.isValid() ||
        (error != QNetworkReply::NoError && error < QNetworkReply::ProxyConnectionRefusedError)) {
        switch (error) {
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::TimeoutError:
            // The deadline timer aborts (canceled); Qt's transfer timeout reports either code.
            result.error = tr("No answer within %1 ms.").arg(m_settings.timeout.count());
            result.retryable = true;
            break;
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::ProtocolInvalidOperationError:
            result.error =
                tr("Cannot talk to the server: %1").arg(withoutKey(reply->errorString()));
            break;
        default:
            // Refused, reset, closed, host not found: a restarting server or a network blip.
            result.error = tr("Network error: %1").arg(withoutKey(reply->errorString()));
            result.retryable = true;
            break;
        }
        return result;
    }

    const int code = status.toInt();
    const QByteArray body = reply->readAll();
    if (code >= 200 && code <= 299 && job.stream) {
        result.error = tr("The stream ended before the model finished its answer.");
        result.retryable = true;
        return result;
    }
    if (code >= 200 && code <= 299) {
        auto parsed = LlmProtocol::parseResponse(body);
        if (auto *prediction = std::get_if<Prediction>(&parsed)) {
            result.prediction = std::move(*prediction);
        } else {
            // Sampling or a loaded server can garble one answer; the next may be fine.
            result.error = tr("Unusable answer: %1").arg(std::get<QString>(parsed));
            result.retryable = true;
        }
        return result;
    }
    if (code >= 300 && code <= 399) {
        result.error = tr("HTTP %1: the server redirects; configure the final URL.").arg(code);
        return result;
    }

    const QString serverMessage = withoutKey(LlmProtocol::errorMessage(body));
    result.error = serverMessage.isEmpty() ? tr("HTTP %1.").arg(code)
                                           : tr("HTTP %1: %2").arg(code).arg(serverMessage);
    result.retryable = RetryPolicy::isRetryableStatus(code);
    if (RetryPolicy::honoursRetryAfter(code))
        result.retryAfter = RetryPolicy::parseRetryAfter(
            reply->rawHeader(QByteArrayLiteral("Retry-After")), QDateTime::currentDateTimeUtc());
    return result;
}

void LlmClient::succeed(const std::shared_ptr<Job> &job, std::optional<Prediction> prediction)
{
    {
        const QMutexLocker locker(&m_mutex);
        m_breaker.recordSuccess();
    }
    reportBreakerState();
    LlmOutcome outcome;
    outcome.prediction = std::move(prediction);
    finish(job, std::move(outcome));
}

void LlmClient::fail(const std::shared_ptr<Job> &job, const QString &error, bool countsForBreaker)
{
    const QString safeError = withoutKey(error);
    if (countsForBreaker) {
        {
            const QMutexLocker locker(&m_mutex);
            m_breaker.recordFailure();
            m_lastError = safeError;
        }
        qCWarning(lcAi).noquote() << (job->stream ? "Streaming" : "Classification")
                                  << "failed after" << job->attempts << "attempt(s):" << safeError;
        reportBreakerState();
    }
    LlmOutcome outcome;
    outcome.error = safeError;
    finish(job, std::move(outcome));
}

void LlmClient::finish(const std::shared_ptr<Job> &job, LlmOutcome outcome)
{
    m_jobs.erase(job);
    if (job->stream) {
        job->finished = true;
        if (!outcome.error.isEmpty())
            job->stream->promise.addResult(LlmStreamPart{{}, outcome.error});
        job->stream->promise.finish();
        // Perhaps called from the watcher's own signal.
        if (auto *watcher = job->stream->cancelWatcher.release())
            watcher->deleteLater();
        return;
    }
    outcome.attempts = job->attempts;
    outcome.elapsedMs = job->elapsed.elapsed();
    job->finished = true;
    job->promise.addResult(std::move(outcome));
    job->promise.finish();
}

void LlmClient::reportBreakerState()
{
    CircuitBreaker::State state;
    milliseconds remaining{0};
    {
        const QMutexLocker locker(&m_mutex);
        state = m_breaker.state();
        if (state == m_reportedState)
            return;
        m_reportedState = state;
        remaining = m_breaker.remainingOpenTime();
    }
    if (state == CircuitBreaker::State::Open && QThread::currentThread() == thread())
        m_halfOpenTimer.start(remaining);
    qCInfo(lcAi).noquote() << "Circuit breaker" << CircuitBreaker::stateName(state);
    Q_EMIT breakerStateChanged(state);
}

void LlmClient::onHalfOpenDue()
{
    reportBreakerState();
    milliseconds remaining{0};
    {
        const QMutexLocker locker(&m_mutex);
        remaining = m_breaker.remainingOpenTime();
    }
    if (remaining.count() > 0)
        m_halfOpenTimer.start(remaining + milliseconds(1));
}

QString LlmClient::withoutKey(QString text) const
{
    // Defence in depth: errors are built without the key, but a server may echo it back.
    if (m_settings.apiKey.size() >= 4)
        text.replace(m_settings.apiKey, u"<api key>"_s);
    return text;
}
