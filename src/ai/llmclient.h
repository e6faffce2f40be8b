#pragma once

#include "circuitbreaker.h"
#include "llmoutcome.h"
#include "llmsettings.h"
#include "llmstreampart.h"
#include "retrypolicy.h"

#include <QDeadlineTimer>
#include <QFuture>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_set>

class QNetworkReply;

// One remote OpenAI-compatible LLM, for every use the console has for it: classifying a ticket
// (a complete answer) and drafting a reply (an answer streamed as it is written). Both share one
// queue, one circuit breaker, the key and redirect rules, and retries with backoff. Answers are
// valid or a failure; falling back to another provider is the caller's business.
class LlmClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LlmClient)

public:
    explicit LlmClient(LlmSettings settings, QObject *parent = nullptr);
    // Tests pin time and jitter; empty functions mean the real ones.
    LlmClient(LlmSettings settings, CircuitBreaker::Clock clock, RetryPolicy::RandomSource random,
              QObject *parent = nullptr);
    // Unfinished tickets end with a failure, so no future is left hanging.
    ~LlmClient() override;

    // Safe to call from any thread; the network work runs on the client's own thread, which
    // needs a running event loop. An open breaker answers at once with attempts == 0.
    QFuture<LlmOutcome> classify(const QString &ticketText);
    // Streams a chat completion for a request body the caller built (with "stream": true) from
    // text it has redacted. Each result is text as the server sends it; cancel the future to stop.
    // Silence between chunks longer than the timeout ends a stream, however long it runs in all.
    // It is retried only before its first text, so no text ever comes twice. Safe to call from
    // any thread; an open breaker answers at once with an error part.
    QFuture<LlmStreamPart> stream(QByteArray requestBody);

    // Thread-safe.
    CircuitBreaker::State breakerState() const;
    // The last failure of a ticket (not a refusal by the open breaker); empty until one fails.
    QString lastError() const;

    QString modelName() const { return m_settings.model; }
    static QString promptVersion();

Q_SIGNALS:
    void breakerStateChanged(CircuitBreaker::State state);

private:
    struct Job;
    struct Stream;
    struct AttemptResult;

    // Why a job may not start: not configured, or the breaker refuses; empty when it may.
    QString refusal(Job &job);
    void enqueue(const std::shared_ptr<Job> &job);
    void readStream(const std::shared_ptr<Job> &job, QNetworkReply *reply);
    void cancelStream(const std::shared_ptr<Job> &job);
    void sendQueued();
    bool mayProceed(const Job &job) const;
    void send(const std::shared_ptr<Job> &job);
    void handleReply(const std::shared_ptr<Job> &job, QNetworkReply *reply);
    AttemptResult evaluate(const Job &job, QNetworkReply *reply) const;
    AttemptResult evaluateStream(const Job &job) const;
    // A classification's prediction, or a complete stream.
    void succeed(const std::shared_ptr<Job> &job, std::optional<Prediction> prediction);
    void fail(const std::shared_ptr<Job> &job, const QString &error, bool countsForBreaker);
    void finish(const std::shared_ptr<Job> &job, LlmOutcome outcome);
    // Emits breakerStateChanged when the state differs from the last one reported.
    void reportBreakerState();
    void onHalfOpenDue();
    QString withoutKey(QString text) const;

    const LlmSettings m_settings;
    const QUrl m_endpoint;
    const RetryPolicy m_retryPolicy;
    QNetworkAccessManager m_manager;
    // Fires when an open breaker is due to let a probe through, so listeners see half-open.
    QTimer m_halfOpenTimer;
    // A Retry-After holds back every ticket, not only the one it answered: the server asked
    // this client to wait. Fires when the pause is over.
    QTimer m_resumeTimer;
    QDeadlineTimer m_pausedUntil;

    // Guards the breaker and the two fields after it; classify() runs on any thread.
    mutable QMutex m_mutex;
    CircuitBreaker m_breaker;
    CircuitBreaker::State m_reportedState = CircuitBreaker::State::Closed;
    QString m_lastError;

    // Owned by the client's thread only.
    std::unordered_set<std::shared_ptr<Job>> m_jobs;
    std::deque<std::shared_ptr<Job>> m_queue;
    int m_inFlight = 0;
};
