#pragma once

#include "classificationoptions.h"
#include "classificationqueue.h"
#include "classificationstatus.h"
#include "learnedmodelstore.h"
#include "llmoutcome.h"
#include "prediction.h"
#include "rulesclassifier.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>

class Database;
class LlmClient;

// Works the persistent classification queue from the thread it lives on: leases due jobs in
// batches, classifies them on a pool of its own, and stores each batch of results in one
// transaction. ClassificationService gives it its thread.
class ClassificationWorker final : public QObject
{
    Q_OBJECT

public:
    ClassificationWorker(const Database &database, ClassificationOptions options,
                         QObject *parent = nullptr);
    ~ClassificationWorker() override;
    Q_DISABLE_COPY_MOVE(ClassificationWorker)

    // Opens this thread's database connection and starts taking jobs.
    void start();
    // New tickets may be waiting: look now instead of at the next idle poll.
    void wake();
    // Stores what is finished and closes the connection; unfinished jobs stay queued, their
    // leases given up for another node or the next start().
    void stop();
    // Only while stopped: the next start() uses these.
    void setOptions(ClassificationOptions options) { m_options = std::move(options); }

Q_SIGNALS:
    void classificationsStored(const QList<qint64> &ticketIds);
    void classificationsFailed(const QList<qint64> &ticketIds);
    void statusChanged(const ClassificationStatus &status);

private:
    // What the local providers made of one ticket, computed on the pool.
    struct Verdict
    {
        qint64 ticketId = 0;
        std::optional<ClassificationProvider> provider;
        Prediction prediction;
        QString model;
        QString modelVersion;
        // The provider is not in the order: the rules ran only to tell whether the ticket may
        // leave the machine (local-only categories).
        bool gateOnly = false;
        qint64 nanoseconds = 0;
    };
    struct Job
    {
        ClassificationQueue::Entry entry;
        QElapsedTimer started;
    };
    // The outcome of reading the active learned model.
    struct LoadedModel
    {
        // The stored model's id; 0 when none is stored, -1 when the database could not say.
        qint64 id = -1;
        std::shared_ptr<const LocalClassifier> classifier;
        std::optional<LearnedModelStore::Summary> summary;
        QString error;
    };

    void poll();
    void renewLeases();
    // Gives up the leases of the jobs in flight, which a stop leaves unfinished.
    void releaseLeases();
    void schedule(std::chrono::milliseconds delay);
    // Runs on the pool; takes the classifiers as arguments so that a model reloaded meanwhile
    // stays alive until the batch that uses it is done.
    static Verdict classifyLocally(const ClassificationQueue::Entry &entry,
                                   const QList<ClassificationProvider> &order,
                                   const LocalClassifier *learned, const LocalClassifier &rules,
                                   bool gateWithRules);
    int capacity() const;
    bool remoteComesFirst() const;
    bool usesLearnedModel() const;
    LoadedModel loadActiveModel() const;
    void checkForNewModel();
    void checkForNewRulesCalibration();
    void applyModel(const LoadedModel &loaded);
    void finishLocalBatch(const QList<Verdict> &verdicts);
    bool asksRemoteFirst(const Verdict &verdict) const;
    void askRemote(const Job &job, const Verdict &verdict);
    void finishRemote(const Verdict &verdict, const LlmOutcome &outcome);
    struct Provenance
    {
        ClassificationProvider provider = ClassificationProvider::Rules;
        QString model;
        QString modelVersion;
        bool fallback = false;
        int attempts = 0;
    };
    void complete(const Job &job, const Prediction &prediction, const Provenance &provenance,
                  qint64 processingMs);
    void fail(const Job &job, const QString &reason);
    ClassificationQueue::Failure failure(const Job &job, const QString &reason) const;
    void storeResults();
    std::chrono::milliseconds nextPollDelay() const;
    void storeFailures();
    void flush();
    void publishStatus();

    const Database &m_database;
    ClassificationOptions m_options;
    // The same for the worker's lifetime, across restarts: whatever it leased before a stop is
    // still its own.
    const QString m_leaseOwner;
    std::unique_ptr<ClassificationQueue> m_queue;
    // Replaced when a calibration of the rules fitted on the team's labels is stored; batches
    // hold the one they started with.
    std::shared_ptr<const RulesClassifier> m_rules = std::make_shared<RulesClassifier>();
    qint64 m_rulesCalibrationId = 0;
    const LearnedModelStore m_models;
    std::shared_ptr<const LocalClassifier> m_learned;
    // The stored model m_learned came from, or that failed to load; 0 for none.
    qint64 m_learnedId = 0;
    QString m_learnedError;
    std::optional<LearnedModelStore::Summary> m_learnedSummary;
    bool m_loadingModel = false;
    bool m_modelCheckFailing = false;
    // Created on the worker's thread, which then owns its network manager.
    std::unique_ptr<LlmClient> m_llm;
    QThreadPool m_pool;
    QTimer m_pollTimer;
    // Remote answers arrive one by one; storing them a few milliseconds later batches them.
    QTimer m_flushTimer;
    // Polls the active model's id; a new one is read and parsed on m_modelPool.
    QTimer m_modelTimer;
    QThreadPool m_modelPool;
    QTimer m_leaseTimer;
    QHash<qint64, Job> m_inFlight;
    QList<Classification> m_results;
    QList<ClassificationQueue::Failure> m_failures;
    bool m_running = false;
    // Bumped by start() and stop(): continuations of an earlier run find it changed and drop
    // their results, whose jobs are still queued.
    quint64 m_generation = 0;
    bool m_batchRunning = false;
    bool m_moreDue = false;
    bool m_woken = false;
    bool m_storageTrouble = false;
    ClassificationQueue::Counts m_counts;
    QElapsedTimer m_countsAge;
    qint64 m_classified = 0;
};
