#include "classificationworker.h"

#include "ailogging.h"
#include "database.h"
#include "llmclient.h"
#include "localclassifier.h"
#include "sentencesummarizer.h"
#include "storageerror.h"

#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>
#include <QThread>

#include <cmath>
#include <tuple>

using namespace std::chrono_literals;

namespace {

// Counting the queue scans it: once a second is plenty for a status line.
constexpr qint64 kCountsMaxAgeMs = 1000;
// A model trained on any node reaches this one within about this long; the check is one index
// lookup on the worker's own connection.
constexpr auto kModelCheckInterval = 1000ms;

} // namespace

ClassificationWorker::ClassificationWorker(const Database &database, ClassificationOptions options,
                                           QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_options(std::move(options))
    , m_leaseOwner(ClassificationQueue::newLeaseOwner())
    , m_models(database)
    // Children, so that they move to the worker's thread with it.
    , m_pollTimer(this)
    , m_flushTimer(this)
    , m_modelTimer(this)
    , m_leaseTimer(this)
{
    m_modelTimer.setInterval(kModelCheckInterval);
    connect(&m_modelTimer, &QTimer::timeout, this, &ClassificationWorker::checkForNewModel);
    connect(&m_modelTimer, &QTimer::timeout, this,
            &ClassificationWorker::checkForNewRulesCalibration);
    m_modelPool.setMaxThreadCount(1);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ClassificationWorker::poll);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(10);
    connect(&m_flushTimer, &QTimer::timeout, this, &ClassificationWorker::flush);
    connect(&m_leaseTimer, &QTimer::timeout, this, &ClassificationWorker::renewLeases);
    // The pool never takes every core from the API threads. (Thread priorities below normal
    // change nothing for ordinary Linux threads, and the idle class would starve a backlog.)
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
}

ClassificationWorker::~ClassificationWorker()
{
    m_pool.waitForDone();
    m_modelPool.waitForDone();
}

void ClassificationWorker::start()
{
    try {
        m_queue = std::make_unique<ClassificationQueue>(m_database, m_leaseOwner,
                                                        m_options.leaseDuration);
        if (const qint64 retried = m_queue->retryExhausted(QDateTime::currentDateTimeUtc()))
            qCInfo(lcAi, "Retrying %lld tickets whose classification had failed", retried);
    } catch (const StorageError &error) {
        qCWarning(lcAi, "Classification is off: %s", qUtf8Printable(error.message()));
        return;
    }
    if (m_options.order.contains(ClassificationProvider::Remote) && m_options.llm.isConfigured()) {
        m_llm = std::make_unique<LlmClient>(m_options.llm);
        connect(m_llm.get(), &LlmClient::breakerStateChanged, this,
                &ClassificationWorker::publishStatus);
        qCInfo(lcAi, "Remote provider: %s", qUtf8Printable(m_options.llm.describe()));
    }
    m_running = true;
    ++m_generation;
    if (usesLearnedModel()) {
        // Nothing is being classified yet, so the first batch waits for the model here instead
        // of going to the next provider while it loads.
        try {
            if (!m_learned || m_models.activeModelId() != m_learnedId)
                applyModel(loadActiveModel());
        } catch (const StorageError &error) {
            qCWarning(lcAi, "Could not check for a learned model: %s",
                      qUtf8Printable(error.message()));
        }
    } else {
        m_learned.reset();
        m_learnedSummary.reset();
        m_learnedId = 0;
        m_learnedError.clear();
    }
    checkForNewRulesCalibration();
    m_modelTimer.start();
    // A third of the lease: one renewal may fail (a busy database, a dropped connection) and
    // the next still comes before the lease runs out.
    m_leaseTimer.start(std::max<std::chrono::milliseconds>(m_options.leaseDuration / 3, 1ms));
    qCInfo(lcAi, "Classifying with %s", qUtf8Printable([this] {
               QStringList names;
               for (ClassificationProvider provider : m_options.order)
                   names.append(classificationProviderName(provider));
               return names.join(QLatin1String(", "));
           }()));
    publishStatus();
    schedule(0ms);
}

void ClassificationWorker::wake()
{
    m_woken = true;
    // A few milliseconds gather the tickets of a burst of POSTs into one batch and one commit.
    schedule(25ms);
}

void ClassificationWorker::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer.stop();
    m_flushTimer.stop();
    m_modelTimer.stop();
    m_modelPool.waitForDone();
    m_loadingModel = false;
    m_leaseTimer.stop();
    // Remote requests in flight end as failures that are dropped; their jobs stay queued.
    m_llm.reset();
    // A batch on the pool finishes into a continuation that is dropped once stopped; its jobs
    // stay in the queue and are classified after the next start.
    m_pool.waitForDone();
    flush();
    releaseLeases();
    ++m_generation;
    m_inFlight.clear();
    m_results.clear();
    m_failures.clear();
    m_batchRunning = false;
    m_moreDue = false;
    m_woken = false;
    m_queue.reset();
    m_database.closeThreadConnection();
    publishStatus();
}

void ClassificationWorker::schedule(std::chrono::milliseconds delay)
{
    if (!m_running)
        return;
    if (m_pollTimer.isActive() && m_pollTimer.remainingTimeAsDuration() <= delay)
        return;
    m_pollTimer.start(delay);
}

bool ClassificationWorker::remoteComesFirst() const
{
    if (!m_llm)
        return false;
    for (ClassificationProvider provider : m_options.order) {
        if (provider == ClassificationProvider::Remote)
            return true;
        if (provider == ClassificationProvider::Rules ||
            (provider == ClassificationProvider::Learned && m_learned))
            return false;
    }
    return false;
}

int ClassificationWorker::capacity() const
{
    int limit = m_options.batchSize;
    // The remote provider answers a few tickets at a time; taking more would only queue them
    // in front of the next live ticket. With its breaker open they go to the local providers.
    if (remoteComesFirst() && m_llm->breakerState() != CircuitBreaker::State::Open)
        limit = std::min(limit, 2 * m_options.llm.maxConcurrentRequests);
    return limit - int(m_inFlight.size());
}

void ClassificationWorker::poll()
{
    // A wake-up during a batch stays pending, so the batch's end polls again at once.
    if (!m_running || m_batchRunning)
        return;
    const int capacity = this->capacity();
    if (capacity <= 0)
        return; // the in-flight results reschedule when they are stored
    m_woken = false;

    QList<ClassificationQueue::Entry> entries;
    try {
        if (!m_countsAge.isValid() || m_countsAge.elapsed() > kCountsMaxAgeMs) {
            m_counts = m_queue->counts();
            m_countsAge.start();
            publishStatus();
        }
        entries = m_queue->claim(capacity, QDateTime::currentDateTimeUtc());
    } catch (const StorageError &error) {
        qCWarning(lcAi, "Could not take jobs from the classification queue: %s",
                  qUtf8Printable(error.message()));
        schedule(m_options.idlePollInterval);
        return;
    }
    if (entries.isEmpty()) {
        schedule(m_options.idlePollInterval);
        return;
    }
    m_moreDue = entries.size() == capacity;
    // A job of this node comes back only when its lease ran out before a renewal got through
    // (the database was unreachable for that long); the classification under way goes on.
    entries.removeIf([this](const ClassificationQueue::Entry &entry) {
        return m_inFlight.contains(entry.ticketId);
    });
    if (entries.isEmpty()) {
        schedule(nextPollDelay());
        return;
    }
    for (const ClassificationQueue::Entry &entry : entries) {
        Job &job = m_inFlight[entry.ticketId];
        job.entry = entry;
        job.started.start();
    }
    m_batchRunning = true;
    const bool gateWithRules = m_llm && !m_options.localOnlyCategories.isEmpty();
    QtConcurrent::mapped(&m_pool, entries,
                         [order = m_options.order, learned = m_learned, rules = m_rules,
                          gateWithRules](const ClassificationQueue::Entry &entry) {
                             return classifyLocally(entry, order, learned.get(), *rules,
                                                    gateWithRules);
                         })
        .then(this, [this, generation = m_generation](QFuture<Verdict> batch) {
            if (generation != m_generation)
                return;
            m_batchRunning = false;
            finishLocalBatch(batch.results());
            schedule(nextPollDelay());
        });
}

void ClassificationWorker::renewLeases()
{
    if (!m_running || m_inFlight.isEmpty())
        return;
    QList<qint64> lost;
    try {
        lost = m_queue->renew(m_inFlight.keys(), QDateTime::currentDateTimeUtc());
    } catch (const StorageError &error) {
        // The leases last two more periods; the next renewal may get through.
        qCWarning(lcAi, "Could not renew the leases of %lld classification jobs: %s",
                  qint64(m_inFlight.size()), qUtf8Printable(error.message()));
        return;
    }
    // Another node took these over after their leases ran out, or their tickets are gone: its
    // result is the one that counts. Forgetting them drops this node's late answers and frees
    // their room in the batch.
    for (qint64 ticketId : std::as_const(lost)) {
        qCWarning(lcAi, "Lost the lease of ticket %lld's classification job to another node",
                  ticketId);
        m_inFlight.remove(ticketId);
    }
    if (!lost.isEmpty())
        schedule(nextPollDelay());
}

void ClassificationWorker::releaseLeases()
{
    if (m_inFlight.isEmpty())
        return;
    try {
        m_queue->release(m_inFlight.keys());
    } catch (const StorageError &error) {
        qCWarning(lcAi,
                  "Could not give up the leases of %lld classification jobs; other nodes "
                  "take them when the leases run out: %s",
                  qint64(m_inFlight.size()), qUtf8Printable(error.message()));
    }
}

bool ClassificationWorker::usesLearnedModel() const
{
    return m_options.order.contains(ClassificationProvider::Learned);
}

ClassificationWorker::LoadedModel ClassificationWorker::loadActiveModel() const
{
    LoadedModel loaded;
    std::unique_ptr<LocalClassifier> classifier = m_models.load(&loaded.error, &loaded.id);
    loaded.classifier = std::move(classifier);
    if (loaded.classifier) {
        try {
            // Another model may have been stored since the load read this one.
            loaded.summary = m_models.active();
            if (loaded.summary && loaded.summary->id != loaded.id)
                loaded.summary.reset();
        } catch (const StorageError &) {
            // Only the status line lacks the numbers; the next model check reads them again.
        }
    }
    return loaded;
}

void ClassificationWorker::checkForNewRulesCalibration()
{
    if (!m_running)
        return;
    try {
        // A few hundred bytes of JSON: read here, between batches, like the queue itself.
        if (m_models.activeRulesCalibrationId() == m_rulesCalibrationId)
            return;
        qint64 id = 0;
        m_rules = m_models.loadRules(&id);
        m_rulesCalibrationId = id;
        qCInfo(lcAi, "Rules confidence: %s", qUtf8Printable(m_rules->modelVersion()));
        publishStatus();
    } catch (const StorageError &) {
        // checkForNewModel() and the queue report the database's trouble.
    }
}

void ClassificationWorker::checkForNewModel()
{
    if (!m_running || m_loadingModel || !usesLearnedModel())
        return;
    qint64 id = 0;
    bool pinned = false;
    try {
        std::tie(id, pinned) = m_models.activeModelIdAndPin();
    } catch (const StorageError &error) {
        // Once per outage: the queue's own reads report the database's trouble as well.
        if (!std::exchange(m_modelCheckFailing, true)) {
            qCWarning(lcAi, "Could not check for a new learned model: %s",
                      qUtf8Printable(error.message()));
        }
        return;
    }
    m_modelCheckFailing = false;
    if (id == m_learnedId) {
        // An admin pinned or unpinned it: the status says so without reloading the model.
        if (m_learnedSummary && m_learnedSummary->pinned != pinned) {
            m_learnedSummary->pinned = pinned;
            publishStatus();
        }
        return;
    }
    // Reading megabytes of model and parsing them happens off this thread, so batches keep
    // being taken and stored with the model already loaded. The pool thread opens a connection
    // of its own and closes it, as the pool may end the thread.
    m_loadingModel = true;
    QtConcurrent::run(&m_modelPool, [this] {
        LoadedModel loaded = loadActiveModel();
        m_database.closeThreadConnection();
        return loaded;
    }).then(this, [this, generation = m_generation](const LoadedModel &loaded) {
        if (generation != m_generation)
            return;
        m_loadingModel = false;
        applyModel(loaded);
    });
}

void ClassificationWorker::applyModel(const LoadedModel &loaded)
{
    if (loaded.id < 0) {
        // The database could not say; the next check asks again.
        qCWarning(lcAi, "Could not read the learned model: %s", qUtf8Printable(loaded.error));
        return;
    }
    m_learnedId = loaded.id;
    if (loaded.id == 0) {
        m_learned.reset();
        m_learnedSummary.reset();
        m_learnedError.clear();
    } else if (loaded.classifier) {
        m_learned = loaded.classifier;
        m_learnedSummary = loaded.summary;
        m_learnedError.clear();
        qCInfo(lcAi, "Learned model %s loaded", qUtf8Printable(m_learned->modelName()));
    } else {
        // Keep the model already loaded, if any: a broken model must not stop classification.
        // It is not tried again until another model is stored.
        m_learnedError = loaded.error;
        qCWarning(lcAi, "Could not load the learned model: %s", qUtf8Printable(loaded.error));
    }
    publishStatus();
}

ClassificationWorker::Verdict ClassificationWorker::classifyLocally(
    const ClassificationQueue::Entry &entry, const QList<ClassificationProvider> &order,
    const LocalClassifier *learned, const LocalClassifier &rules, bool gateWithRules)
{
    QElapsedTimer timer;
    timer.start();
    Verdict verdict;
    verdict.ticketId = entry.ticketId;
    for (ClassificationProvider provider : order) {
        const LocalClassifier *classifier = nullptr;
        if (provider == ClassificationProvider::Rules)
            classifier = &rules;
        else if (provider == ClassificationProvider::Learned)
            classifier = learned;
        if (!classifier)
            continue;
        verdict.provider = provider;
        verdict.prediction = classifier->predict(entry.text);
        verdict.prediction.summary = SentenceSummarizer::summarize(entry.text);
        verdict.model = classifier->modelName();
        verdict.modelVersion = classifier->modelVersion();
        break;
    }
    if (!verdict.provider && gateWithRules) {
        verdict.provider = ClassificationProvider::Rules;
        verdict.prediction = rules.predict(entry.text);
        verdict.prediction.summary = SentenceSummarizer::summarize(entry.text);
        verdict.model = rules.modelName();
        verdict.modelVersion = rules.modelVersion();
        verdict.gateOnly = true;
    }
    verdict.nanoseconds = timer.nsecsElapsed();
    return verdict;
}

void ClassificationWorker::finishLocalBatch(const QList<Verdict> &verdicts)
{
    for (const Verdict &verdict : verdicts) {
        const auto it = m_inFlight.constFind(verdict.ticketId);
        if (it == m_inFlight.cend())
            continue;
        if (asksRemoteFirst(verdict)) {
            askRemote(*it, verdict);
        } else if (verdict.provider) {
            complete(*it, verdict.prediction,
                     {*verdict.provider, verdict.model, verdict.modelVersion, false, 0},
                     verdict.nanoseconds / 1'000'000);
        } else {
            fail(*it, tr("No classifier is available: the configured providers are not set up."));
        }
    }
    flush();
}

bool ClassificationWorker::asksRemoteFirst(const Verdict &verdict) const
{
    if (!m_llm)
        return false;
    // The local guess decides what may leave the machine; a ticket that must stay is then
    // classified locally, by the rules if no local provider is in the order.
    if (verdict.provider && m_options.localOnlyCategories.contains(verdict.prediction.category))
        return false;
    if (!verdict.provider || verdict.gateOnly)
        return true;
    return m_options.order.indexOf(ClassificationProvider::Remote) <
           m_options.order.indexOf(*verdict.provider);
}

void ClassificationWorker::askRemote(const Job &job, const Verdict &verdict)
{
    m_llm->classify(job.entry.text)
        .then(this, [this, verdict, generation = m_generation](const LlmOutcome &outcome) {
            if (generation == m_generation)
                finishRemote(verdict, outcome);
        });
}

void ClassificationWorker::finishRemote(const Verdict &verdict, const LlmOutcome &outcome)
{
    if (!m_running)
        return;
    const auto it = m_inFlight.constFind(verdict.ticketId);
    if (it == m_inFlight.cend())
        return;
    const qint64 elapsedMs = it->started.elapsed();
    if (outcome.succeeded()) {
        complete(*it, *outcome.prediction,
                 {ClassificationProvider::Remote, m_llm->modelName(), LlmClient::promptVersion(),
                  false, outcome.attempts},
                 elapsedMs);
    } else if (verdict.provider && !verdict.gateOnly) {
        complete(*it, verdict.prediction,
                 {*verdict.provider, verdict.model, verdict.modelVersion, true, outcome.attempts},
                 elapsedMs);
    } else {
        fail(*it, tr("remote: %1").arg(outcome.error));
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ClassificationWorker::complete(const Job &job, const Prediction &prediction,
                                    const Provenance &provenance, qint64 processingMs)
{
    if (!std::isfinite(prediction.confidence)) {
        fail(job, tr("%1 returned an invalid confidence.")
                      .arg(classificationProviderName(provenance.provider)));
        return;
    }
    Classification result;
    result.ticketId = job.entry.ticketId;
    result.category = prediction.category;
    result.confidence = std::clamp(prediction.confidence, 0.0, 1.0);
    result.priority = prediction.priority;
    result.summary = prediction.summary;
    result.provider = provenance.provider;
    result.model = provenance.model;
    result.modelVersion = provenance.modelVersion;
    result.fallback = provenance.fallback;
    result.attempts = provenance.attempts;
    result.needsReview = result.confidence < m_options.reviewThreshold;
    result.processingMs = processingMs;
    result.createdAt = QDateTime::currentDateTimeUtc();
    m_results.append(result);
}

void ClassificationWorker::fail(const Job &job, const QString &reason)
{
    m_failures.append(failure(job, reason));
}

ClassificationQueue::Failure ClassificationWorker::failure(const Job &job,
                                                           const QString &reason) const
{
    ClassificationQueue::Failure failure;
    failure.ticketId = job.entry.ticketId;
    failure.reason = reason;
    const int failedAttempts = job.entry.failedAttempts + 1;
    if (failedAttempts < m_options.maxFailedAttempts) {
        const double delayMs =
            std::min(double(m_options.maxRetryDelay.count()),
                     double(m_options.firstRetryDelay.count()) * std::pow(2.0, failedAttempts - 1));
        failure.retryAt = QDateTime::currentDateTimeUtc().addMSecs(qint64(delayMs));
    }
    return failure;
}

void ClassificationWorker::flush()
{
    if (!m_queue)
        return;
    const bool hadResults = !m_results.isEmpty() || !m_failures.isEmpty();
    storeResults();
    storeFailures();
    // Stored results free room in the batch: take more jobs if the last look found plenty.
    if (hadResults && m_moreDue && !m_batchRunning)
        schedule(nextPollDelay());
}

std::chrono::milliseconds ClassificationWorker::nextPollDelay() const
{
    // After a failed write the database needs time (a full disk, a lock held elsewhere), not
    // the same batch again at once.
    if (m_storageTrouble || !(m_moreDue || m_woken))
        return m_options.idlePollInterval;
    return 0ms;
}

void ClassificationWorker::storeResults()
{
    if (m_results.isEmpty())
        return;
    const QList<Classification> results = std::exchange(m_results, {});
    QList<qint64> stored;
    QSet<qint64> unstorable;
    m_storageTrouble = false;
    try {
        stored = m_queue->complete(results);
    } catch (const StorageError &error) {
        m_storageTrouble = true;
        // One bad row must not hold up the batch for ever: store them one by one, and a row
        // that still fails becomes a failed job with the reason.
        qCWarning(lcAi, "Could not store %lld classifications at once, storing them one by one: %s",
                  qint64(results.size()), qUtf8Printable(error.message()));
        for (const Classification &result : results) {
            try {
                stored += m_queue->complete({result});
            } catch (const StorageError &single) {
                if (const auto it = m_inFlight.constFind(result.ticketId); it != m_inFlight.cend())
                    fail(*it, tr("Could not store the result: %1").arg(single.message()));
                unstorable.insert(result.ticketId);
            }
        }
    }
    for (const Classification &result : results) {
        if (!unstorable.contains(result.ticketId))
            m_inFlight.remove(result.ticketId);
    }
    if (stored.size() + unstorable.size() < results.size()) {
        const QSet<qint64> storedIds(stored.cbegin(), stored.cend());
        for (const Classification &result : results) {
            if (!storedIds.contains(result.ticketId) && !unstorable.contains(result.ticketId))
                qCWarning(lcAi,
                          "Dropped the classification of ticket %lld: this node no longer "
                          "holds its job's lease (another node took it over, or the ticket is "
                          "gone)",
                          result.ticketId);
        }
    }
    m_classified += stored.size();
    if (!stored.isEmpty())
        Q_EMIT classificationsStored(stored);
}

void ClassificationWorker::storeFailures()
{
    if (m_failures.isEmpty())
        return;
    const QList<ClassificationQueue::Failure> failures = std::exchange(m_failures, {});
    QList<qint64> ids;
    for (const ClassificationQueue::Failure &failure : failures) {
        m_inFlight.remove(failure.ticketId);
        ids.append(failure.ticketId);
        qCWarning(lcAi, "Ticket %lld was not classified: %s", failure.ticketId,
                  qUtf8Printable(failure.reason));
    }
    try {
        const QList<qint64> recorded = m_queue->fail(failures);
        if (recorded.size() < ids.size())
            qCWarning(lcAi,
                      "Dropped %lld failed classifications: this node no longer holds their "
                      "jobs' leases",
                      qint64(ids.size() - recorded.size()));
        if (!recorded.isEmpty())
            Q_EMIT classificationsFailed(recorded);
    } catch (const StorageError &error) {
        m_storageTrouble = true;
        // The jobs are still pending, so they are tried again; the database is the problem.
        qCWarning(lcAi, "Could not record failed classifications: %s",
                  qUtf8Printable(error.message()));
    }
}

void ClassificationWorker::publishStatus()
{
    ClassificationStatus status;
    status.running = m_running;
    status.pending = m_counts.pending;
    status.failed = m_counts.failed;
    status.classifiedSinceStart = m_classified;
    const auto configured = [this](ClassificationProvider provider) {
        return m_options.order.contains(provider);
    };
    ClassificationStatus::Provider remote{QStringLiteral("remote"), QStringLiteral("disabled"),
                                          QString(), QString()};
    if (m_llm) {
        remote.state = CircuitBreaker::stateName(m_llm->breakerState());
        remote.model = m_llm->modelName();
        remote.lastError = m_llm->lastError();
    }
    status.providers.append(remote);
    ClassificationStatus::Provider learned{QStringLiteral("learned"), QStringLiteral("disabled"),
                                           QString(), m_learnedError};
    if (configured(ClassificationProvider::Learned)) {
        learned.state = m_learned ? QStringLiteral("ready") : QStringLiteral("no_model");
        if (m_learned) {
            learned.model = m_learned->modelName();
            status.learnedModel = m_learnedSummary;
            status.suggester = m_learned;
        }
    }
    if (!status.suggester)
        status.suggester = m_rules;
    status.providers.append(learned);
    status.providers.append({QStringLiteral("rules"),
                             configured(ClassificationProvider::Rules) ? QStringLiteral("ready")
                                                                       : QStringLiteral("disabled"),
                             m_rules->modelName(), QString()});
    Q_EMIT statusChanged(status);
}
