#include "classificationqueue.h"
#include "classificationrepository.h"
#include "classificationservice.h"
#include "learnedmodelrepository.h"
#include "rulesclassifier.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "trainingfixture.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The pipeline end to end on a real SQLite file: jobs queued by the insert trigger, worked on
// the service's own thread and pool, results stored with their provenance.
class TestClassificationService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void classifiesTicketsStoredBeforeStart();
    void wakeClassifiesANewTicketAtOnce();
    void resultCarriesProvenanceAndSummary();
    void reviewThresholdFlagsUnsureResults_data();
    void reviewThresholdFlagsUnsureResults();
    void withoutAProviderJobsFailVisiblyAndAreRetried();
    void twoConsolesNeverClassifyATicketTwice();
    void stopLeavesUnfinishedJobsQueued();
    void statusReportsProvidersAndQueue();
    void learnedModelIsUsedAndPickedUpWhenTrained();
    void modelStoredByAnotherNodeIsPickedUp();
    void wakeDuringABatchIsNotLost();
    void reconfigureAppliesToLaterTickets();
    void rulesUseTheStoredCalibrationOnceItArrives();

private:
    QList<qint64> createTickets(int count, const QString &text = u"My invoice is wrong"_s);
    ClassificationOptions quickOptions() const;
    qint64 pendingCount();

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
};

void TestClassificationService::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
}

void TestClassificationService::cleanup()
{
    m_tickets.reset();
    m_temporary.reset();
}

QList<qint64> TestClassificationService::createTickets(int count, const QString &text)
{
    // In transactions of many tickets: one each makes a 20,000-ticket backlog take seconds.
    QList<qint64> ids;
    const TicketRepository::NewTicket ticket{
        TicketDraft::fromText(text, TicketSource::Api), {}, {}};
    for (int first = 0; first < count; first += 1000) {
        const QList<TicketRepository::NewTicket> chunk(std::min(1000, count - first), ticket);
        for (const TicketRepository::IdempotentCreate &created : m_tickets->createAll(chunk))
            ids.append(created.ticket->id);
    }
    return ids;
}

ClassificationOptions TestClassificationService::quickOptions() const
{
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    // Long enough that only wake() can explain a prompt result.
    options.idlePollInterval = 1h;
    options.batchSize = 64;
    return options;
}

qint64 TestClassificationService::pendingCount()
{
    return ClassificationQueue(m_temporary->database()).counts().pending;
}

void TestClassificationService::classifiesTicketsStoredBeforeStart()
{
    const QList<qint64> ids = createTickets(500);
    ClassificationService service(m_temporary->database(), quickOptions());
    QSignalSpy stored(&service, &ClassificationService::classificationsStored);
    service.start();

    QTRY_COMPARE_WITH_TIMEOUT(pendingCount(), 0, 10'000);
    qint64 signalled = 0;
    for (const QList<QVariant> &arguments : std::as_const(stored))
        signalled += arguments.at(0).value<QList<qint64>>().size();
    QCOMPARE(signalled, 500);
    for (qint64 id : ids)
        QCOMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Classified);
}

void TestClassificationService::wakeClassifiesANewTicketAtOnce()
{
    ClassificationService service(m_temporary->database(), quickOptions());
    service.start();
    QTRY_VERIFY(service.status().running);

    const qint64 id = createTickets(1, u"The server crashed with an error"_s).first();
    service.wake();
    QTRY_COMPARE_WITH_TIMEOUT(m_tickets->find(id)->classificationState(),
                              ClassificationState::Classified, 5'000);
}

void TestClassificationService::resultCarriesProvenanceAndSummary()
{
    const qint64 id =
        createTickets(1, u"Hello team. The app crashes with an error whenever I log in. Thanks."_s)
            .first();
    ClassificationService service(m_temporary->database(), quickOptions());
    service.start();
    QTRY_COMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Classified);

    const Ticket ticket = *m_tickets->find(id);
    QVERIFY(ticket.classification);
    const Classification &result = *ticket.classification;
    QCOMPARE(result.provider, ClassificationProvider::Rules);
    QCOMPARE(result.model, u"rules-v1"_s);
    QCOMPARE(result.category, Category::Technical);
    QCOMPARE(ticket.category, Category::Technical);
    QVERIFY(!result.fallback);
    QCOMPARE(result.attempts, 0);
    QVERIFY(result.confidence > 0.0 && result.confidence <= RulesClassifier::kPriorCeiling);
    QCOMPARE(result.modelVersion, u"1+prior"_s);
    QCOMPARE(result.summary, u"The app crashes with an error whenever I log in."_s);
    QVERIFY(result.createdAt.isValid());
}

void TestClassificationService::reviewThresholdFlagsUnsureResults_data()
{
    QTest::addColumn<double>("threshold");
    QTest::addColumn<bool>("needsReview");
    QTest::newRow("nothing is sure enough") << 1.0 << true;
    QTest::newRow("everything is sure enough") << 0.0 << false;
}

void TestClassificationService::reviewThresholdFlagsUnsureResults()
{
    QFETCH(double, threshold);
    QFETCH(bool, needsReview);

    const qint64 id = createTickets(1).first();
    ClassificationOptions options = quickOptions();
    options.reviewThreshold = threshold;
    ClassificationService service(m_temporary->database(), options);
    service.start();
    QTRY_COMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Classified);
    QCOMPARE(m_tickets->find(id)->needsReview, needsReview);
    QCOMPARE(m_tickets->find(id)->classification->needsReview, needsReview);
}

// The settings dialog changes the threshold of a running console without a restart.
void TestClassificationService::reconfigureAppliesToLaterTickets()
{
    const qint64 before = createTickets(1).first();
    ClassificationOptions options = quickOptions();
    options.reviewThreshold = 0.0;
    ClassificationService service(m_temporary->database(), options);
    service.start();
    QTRY_COMPARE(m_tickets->find(before)->classificationState(), ClassificationState::Classified);
    QVERIFY(!m_tickets->find(before)->needsReview);

    options.reviewThreshold = 1.0;
    service.reconfigure(options);
    const qint64 after = createTickets(1).first();
    service.wake();
    QTRY_COMPARE(m_tickets->find(after)->classificationState(), ClassificationState::Classified);
    QVERIFY(m_tickets->find(after)->needsReview);
    QTRY_VERIFY(service.status().running);
}

void TestClassificationService::withoutAProviderJobsFailVisiblyAndAreRetried()
{
    const qint64 id = createTickets(1).first();
    ClassificationOptions options = quickOptions();
    options.order = {ClassificationProvider::Learned}; // no model trained
    options.firstRetryDelay = 50ms;
    options.idlePollInterval = 20ms;
    options.maxFailedAttempts = 3;
    ClassificationService service(m_temporary->database(), options);
    QSignalSpy failed(&service, &ClassificationService::classificationsFailed);
    service.start();

    QTRY_COMPARE_WITH_TIMEOUT(m_tickets->find(id)->job->attempts, 3, 5'000);
    const Ticket ticket = *m_tickets->find(id);
    QCOMPARE(ticket.classificationState(), ClassificationState::Failed);
    QVERIFY(ticket.job->lastError.contains(u"No classifier"_s));
    // Retries used up: it stays failed, visible, and is not taken again.
    QVERIFY(!ticket.job->nextAttemptAt.isValid());
    QCOMPARE(failed.size(), 3);
    QTest::qWait(200);
    QCOMPARE(m_tickets->find(id)->job->attempts, 3);

    // A restart (often after fixing the configuration) gives it one more attempt.
    service.stop();
    service.start();
    QTRY_COMPARE(m_tickets->find(id)->job->attempts, 4);
    QVERIFY(!m_tickets->find(id)->job->nextAttemptAt.isValid());
}

void TestClassificationService::twoConsolesNeverClassifyATicketTwice()
{
    const QList<qint64> ids = createTickets(2000);
    ClassificationOptions options = quickOptions();
    options.batchSize = 32;
    ClassificationService first(m_temporary->database(), options);
    ClassificationService second(m_temporary->database(), options);
    first.start();
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(pendingCount(), 0, 20'000);
    first.stop();
    second.stop();

    ClassificationRepository classifications(m_temporary->database());
    for (qint64 id : ids)
        QCOMPARE(classifications.history(id).size(), 1);
}

void TestClassificationService::stopLeavesUnfinishedJobsQueued()
{
    createTickets(3000);
    {
        ClassificationOptions options = quickOptions();
        options.batchSize = 16;
        ClassificationService service(m_temporary->database(), options);
        QSignalSpy stored(&service, &ClassificationService::classificationsStored);
        service.start();
        QTRY_VERIFY(!stored.isEmpty());
        service.stop();
    }
    const qint64 left = pendingCount();
    QVERIFY2(left > 0, "the backlog finished before the stop; make it larger");

    ClassificationService restarted(m_temporary->database(), quickOptions());
    restarted.start();
    QTRY_COMPARE_WITH_TIMEOUT(pendingCount(), 0, 10'000);
}

void TestClassificationService::statusReportsProvidersAndQueue()
{
    createTickets(5);
    ClassificationService service(m_temporary->database(), quickOptions());
    QSignalSpy changed(&service, &ClassificationService::statusChanged);
    service.start();
    QTRY_VERIFY(!changed.isEmpty());
    const ClassificationStatus status = service.status();
    QVERIFY(status.running);
    QCOMPARE(status.providers.size(), 3);
    QCOMPARE(status.providers.at(0).name, u"remote"_s);
    QCOMPARE(status.providers.at(0).state, u"disabled"_s);
    QCOMPARE(status.providers.at(1).state, u"disabled"_s);
    QCOMPARE(status.providers.at(2).name, u"rules"_s);
    QCOMPARE(status.providers.at(2).state, u"ready"_s);
    QCOMPARE(status.pending, 5);
    service.stop();
    QVERIFY(!service.status().running);
}

void TestClassificationService::learnedModelIsUsedAndPickedUpWhenTrained()
{
    ClassificationOptions options = quickOptions();
    options.order = {ClassificationProvider::Learned, ClassificationProvider::Rules};
    options.idlePollInterval = 100ms;
    ClassificationService service(m_temporary->database(), options);
    service.start();

    // No model yet: the rules answer, and that is not a fallback (nothing failed).
    const qint64 before = createTickets(1, u"My invoice shows a double charge"_s).first();
    service.wake();
    QTRY_COMPARE(m_tickets->find(before)->classificationState(), ClassificationState::Classified);
    QCOMPARE(m_tickets->find(before)->classification->provider, ClassificationProvider::Rules);
    QVERIFY(!m_tickets->find(before)->classification->fallback);
    QTRY_COMPARE(service.status().providers.at(1).state, u"no_model"_s);
    // The new-ticket form suggests with what classifies: the rules, until a model arrives.
    QVERIFY(service.status().suggester);
    QCOMPARE(service.status().suggester->modelName(), u"rules-v1"_s);

    // A model stored in the database (a fastText one, as v0.5 trained and stored them).
    QString error;
    const TrainingFixture::StoredFastTextModel stored =
        TrainingFixture::storeFastTextModel(m_temporary->database(), &error);
    QVERIFY2(stored.id != 0, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(service.status().providers.at(1).state, u"ready"_s, 5'000);
    QCOMPARE(service.status().providers.at(1).model, stored.info.modelName());
    QCOMPARE(service.status().suggester->modelName(), stored.info.modelName());

    const qint64 after = createTickets(1, u"My invoice shows a double charge"_s).first();
    service.wake();
    QTRY_COMPARE(m_tickets->find(after)->classificationState(), ClassificationState::Classified);
    const Classification result = *m_tickets->find(after)->classification;
    QCOMPARE(result.provider, ClassificationProvider::Learned);
    QCOMPARE(result.model, stored.info.modelName());
    QCOMPARE(result.modelVersion, stored.info.version);
    QVERIFY(!result.summary.isEmpty());
}

void TestClassificationService::modelStoredByAnotherNodeIsPickedUp()
{
    // The model already active when the service starts is loaded before the first batch.
    QString error;
    const TrainingFixture::StoredFastTextModel first =
        TrainingFixture::storeFastTextModel(m_temporary->database(), &error);
    QVERIFY2(first.id != 0, qPrintable(error));
    const QString firstName = first.info.modelName();
    const qint64 waiting = createTickets(1, u"Refund the double charge on my invoice"_s).first();

    ClassificationOptions options = quickOptions();
    options.order = {ClassificationProvider::Learned, ClassificationProvider::Rules};
    ClassificationService service(m_temporary->database(), options);
    service.start();
    QTRY_COMPARE(m_tickets->find(waiting)->classificationState(), ClassificationState::Classified);
    QCOMPARE(m_tickets->find(waiting)->classification->model, firstName);

    // Another node: its own Database object and connection on the same database, storing a
    // model trained a day later. The service's idle poll is an hour away; only the model check
    // can see it.
    const Database other(m_temporary->database().config());
    const TrainingFixture::StoredFastTextModel second = TrainingFixture::storeFastTextModel(
        other, &error, TrainingFixture::examples(), QDateTime::currentDateTimeUtc().addDays(1));
    other.closeThreadConnection();
    QVERIFY2(second.id != 0, qPrintable(error));
    QVERIFY(second.info.modelName() != firstName);
    QElapsedTimer noticed;
    noticed.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status().providers.at(1).model, second.info.modelName(),
                              5'000);
    qInfo("Noticed the new model after %lld ms", noticed.elapsed());

    const qint64 after = createTickets(1, u"Refund the double charge on my invoice"_s).first();
    service.wake();
    QTRY_COMPARE(m_tickets->find(after)->classificationState(), ClassificationState::Classified);
    QCOMPARE(m_tickets->find(after)->classification->model, second.info.modelName());
}

void TestClassificationService::wakeDuringABatchIsNotLost()
{
    // One batch takes the whole backlog (so no "more due" poll follows it) and the idle poll is
    // an hour away: only the wake-up can get the late ticket classified.
    // PostgreSQL stores results slower, and a batch's updates of the same counter rows within
    // one transaction cost it more per row the more there are: fewer tickets last as long there.
    const int backlog = m_temporary->isPostgres() ? 5'000 : 20'000;
    createTickets(backlog);
    ClassificationOptions options = quickOptions();
    options.batchSize = 2 * backlog;
    ClassificationService service(m_temporary->database(), options);
    QSignalSpy stored(&service, &ClassificationService::classificationsStored);
    service.start();
    QTest::qWait(20);
    const qint64 late = createTickets(1, u"Arrived while the backlog was classified"_s).first();
    service.wake();
    QVERIFY2(stored.isEmpty() || pendingCount() > 0, "the backlog finished before the wake");
    // Storing 20,000 results takes seconds, most on PostgreSQL; what matters is that it comes.
    QTRY_COMPARE_WITH_TIMEOUT(m_tickets->find(late)->classificationState(),
                              ClassificationState::Classified, 60'000);
}

void TestClassificationService::rulesUseTheStoredCalibrationOnceItArrives()
{
    ClassificationService service(m_temporary->database(), quickOptions());
    service.start();
    QTRY_VERIFY(service.status().running);
    // As `train` would store it: here, a calibration that calls every answer a coin toss.
    LearnedModel calibration;
    calibration.kind = LearnedModel::kRulesCalibration;
    calibration.version = u"20261206-120000"_s;
    calibration.metadata = u"{}"_s;
    calibration.model = QJsonDocument(RulesCalibration().toJson()).toJson(QJsonDocument::Compact);
    LearnedModelRepository(m_temporary->database()).add(calibration);

    // Picked up within the model check's second; tickets after it are judged by it.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const qint64 id = createTickets(1, u"The app crashes with an error"_s).first();
            service.wake();
            if (!QTest::qWaitFor(
                    [&] {
                        return m_tickets->find(id)->classificationState() ==
                               ClassificationState::Classified;
                    },
                    5000))
                return false;
            return m_tickets->find(id)->classification->modelVersion == u"1+cal-20261206-120000"_s;
        }(),
        10'000);
    const QList<qint64> ids = createTickets(1, u"The app crashes with an error"_s);
    service.wake();
    QTRY_COMPARE(m_tickets->find(ids.first())->classificationState(),
                 ClassificationState::Classified);
    const Classification result = *m_tickets->find(ids.first())->classification;
    QCOMPARE(result.confidence, 0.5);
    QCOMPARE(service.status().suggester->predict(u"The app crashes with an error"_s).confidence,
             0.5);
    QCOMPARE(result.category, Category::Technical);
    // Under the review threshold: flagged, as a coin toss should be.
    QVERIFY(m_tickets->find(ids.first())->needsReview);
}

QTEST_GUILESS_MAIN(TestClassificationService)
#include "tst_classificationservice.moc"
