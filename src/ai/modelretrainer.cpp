#include "modelretrainer.h"

#include "ailogging.h"
#include "database.h"
#include "modeltrainingrepository.h"
#include "storageerror.h"
#include "trainingcancelled.h"
#include "trainingexamplereader.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QUuid>

ModelRetrainer::ModelRetrainer(const Database &database, Options options, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_options(std::move(options))
    , m_owner(QStringLiteral("retrainer-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_timer(this)
{
    // One training at a time in this process; the training spreads its folds over cores itself.
    m_pool.setMaxThreadCount(1);
    m_timer.setInterval(m_options.checkInterval);
    connect(&m_timer, &QTimer::timeout, this, &ModelRetrainer::checkNow);
}

ModelRetrainer::~ModelRetrainer()
{
    m_timer.stop();
    m_stop.request_stop();
    m_pool.waitForDone();
}

void ModelRetrainer::start()
{
    if (m_options.verdictsToRetrain > 0)
        m_timer.start();
}

void ModelRetrainer::stop()
{
    m_timer.stop();
}

void ModelRetrainer::setVerdictsToRetrain(int verdicts)
{
    m_options.verdictsToRetrain = verdicts;
    if (verdicts <= 0)
        m_timer.stop();
}

void ModelRetrainer::checkNow()
{
    if (m_options.verdictsToRetrain <= 0 || m_checking)
        return;
    m_checking = true;
    Options options = m_options;
    options.training.linear.stop = m_stop.get_token();
    QtConcurrent::run(&m_pool, [this, options = std::move(options)] {
        const Outcome outcome = check(options);
        // The pool may end this thread; its connection must not outlive it.
        m_database.closeThreadConnection();
        return outcome;
    }).then(this, [this](const Outcome &outcome) {
        m_checking = false;
        Q_EMIT checked(outcome);
    });
}

ModelRetrainer::Outcome ModelRetrainer::check(const Options &options) const
{
    Outcome outcome;
    try {
        ModelTrainingRepository training(m_database);
        const ModelTrainingRepository::Verdicts verdicts = training.verdicts();
        outcome.newVerdicts = verdicts.newSinceTraining;
        if (verdicts.newSinceTraining < options.verdictsToRetrain)
            return outcome;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (!training.claim(m_owner, now, now.addMSecs(options.leaseDuration.count()))) {
            outcome.kind = Outcome::Kind::Busy;
            return outcome;
        }
        // Another node may have trained between the count and the claim.
        const ModelTrainingRepository::Verdicts claimed = training.verdicts();
        outcome.newVerdicts = claimed.newSinceTraining;
        if (claimed.newSinceTraining < options.verdictsToRetrain) {
            training.release(m_owner, 0, QDateTime());
            return outcome;
        }
        qCInfo(lcAi, "Retraining the local model after %lld new verdicts",
               claimed.newSinceTraining);
        const QList<TrainingExample> examples = TrainingExampleReader(m_database).read();
        const auto result = LocalModelTrainer(options.training).trainAndKeep(examples, m_database);
        if (const QString *error = std::get_if<QString>(&result)) {
            // Too few tickets is not worth another try every minute: the mark moves on. A
            // database failure throws instead, and leaves the mark for the next check.
            training.release(m_owner, claimed.newestId, QDateTime::currentDateTimeUtc());
            outcome.kind = Outcome::Kind::Failed;
            outcome.message = *error;
            qCInfo(lcAi, "Retraining stopped: %s", qUtf8Printable(*error));
            return outcome;
        }
        const LocalModelTrainer::Report &report = std::get<LocalModelTrainer::Report>(result);
        training.release(m_owner, claimed.newestId, QDateTime::currentDateTimeUtc());
        outcome.kind = Outcome::Kind::Trained;
        outcome.replaced = report.replaced;
        outcome.message = report.decision;
        qCInfo(lcAi, "Retrained: %s", qUtf8Printable(report.decision));
    } catch (const TrainingCancelled &) {
        // The verdicts are still to be learned from: the mark stays for the next start.
        outcome.kind = Outcome::Kind::Failed;
        outcome.message = tr("Retraining stopped because the program is closing.");
        qCInfo(lcAi, "Retraining stopped: the program is closing");
        releaseQuietly();
    } catch (const StorageError &error) {
        outcome.kind = Outcome::Kind::Failed;
        outcome.message = error.message();
        qCWarning(lcAi, "Retraining failed: %s", qUtf8Printable(error.message()));
        releaseQuietly();
    }
    return outcome;
}

void ModelRetrainer::releaseQuietly() const
{
    // The lease runs out by itself if it cannot be given back now.
    try {
        ModelTrainingRepository(m_database).release(m_owner, 0, QDateTime());
    } catch (const StorageError &) {
    }
}
