#pragma once

#include "circuitbreaker.h"
#include "llmoutcome.h"
#include "llmsettings.h"
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

// One remote OpenAI-compatible LLM as a classification provider: redacts PII, sends the ticket
// asynchronously, retries with backoff, and stops calling a failing server (circuit breaker).
// Answers with a valid prediction or a failure; falling back to another provider is the
// caller's business.
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
    struct AttemptResult;

    void enqueue(const std::shared_ptr<Job> &job);
    void sendQueued();
    bool mayProceed(const Job &job) const;
    void send(const std::shared_ptr<Job> &job);
    void handleReply(const std::shared_ptr<Job> &job, QNetworkReply *reply);
    AttemptResult evaluate(QNetworkReply *reply) const;
    void succeed(const std::shared_ptr<Job> &job, Prediction prediction);
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
