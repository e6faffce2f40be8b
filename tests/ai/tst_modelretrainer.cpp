#include "actor.h"
#include "classificationrepository.h"
#include "learnedmodelstore.h"
#include "modelretrainer.h"
#include "modeltrainingrepository.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "trainingfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

// Background retraining on a real database of either kind: started by agents' verdicts, run off
// the calling thread, and by one node at a time.
class TestModelRetrainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void trainsOnceEnoughVerdictsArrive();
    void trainingLeavesTheCallingThreadFree();
    void oneNodeAtATimeOnASharedDatabase();
    void anotherNodesLeaseHoldsUntilItRunsOut();
    void integrationsVerdictsDoNotCount();
    void closingStopsATrainingInProgress();

private:
    // Stores the team fixture's tickets, each labelled by an agent's verdict.
    void storeVerdicts(int count);
    static ModelRetrainer::Options options(int verdicts);
    static ModelRetrainer::Outcome waitForOutcome(QSignalSpy &spy);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    int m_stored = 0;
};

void TestModelRetrainer::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_stored = 0;
}

void TestModelRetrainer::cleanup()
{
    m_temporary.reset();
}

void TestModelRetrainer::storeVerdicts(int count)
{
    const QList<TrainingExample> examples = TrainingFixture::teamExamples();
    TicketRepository tickets(m_temporary->database());
    ClassificationRepository classifications(m_temporary->database());
    for (int i = 0; i < count; ++i, ++m_stored) {
        const TrainingExample &example = examples.at(m_stored % examples.size());
        const Ticket ticket = tickets.create(TicketDraft::fromSubjectAndBody(
            u"Ticket %1"_s.arg(m_stored), example.text, TicketSource::Api));
        Classification verdict;
        verdict.ticketId = ticket.id;
        verdict.category = example.category;
        verdict.confidence = 1.0;
        verdict.provider = ClassificationProvider::Agent;
        verdict.model = u"agent"_s;
        classifications.add(verdict);
    }
}

ModelRetrainer::Options TestModelRetrainer::options(int verdicts)
{
    ModelRetrainer::Options options;
    options.verdictsToRetrain = verdicts;
    options.checkInterval = std::chrono::hours(1); // only checkNow() in these tests
    options.training.minimumExamples = 100;
    return options;
}

ModelRetrainer::Outcome TestModelRetrainer::waitForOutcome(QSignalSpy &spy)
{
    if (spy.isEmpty() && !spy.wait(60'000))
        qFatal("no outcome within a minute");
    return spy.takeFirst().at(0).value<ModelRetrainer::Outcome>();
}

void TestModelRetrainer::trainsOnceEnoughVerdictsArrive()
{
    ModelRetrainer retrainer(m_temporary->database(), options(150));
    QSignalSpy checked(&retrainer, &ModelRetrainer::checked);
    storeVerdicts(149);
    retrainer.checkNow();
    ModelRetrainer::Outcome outcome = waitForOutcome(checked);
    QCOMPARE(outcome.kind, ModelRetrainer::Outcome::Kind::NotDue);
    QCOMPARE(outcome.newVerdicts, 149);
    QCOMPARE(LearnedModelStore(m_temporary->database()).activeModelId(), 0);

    storeVerdicts(1);
    retrainer.checkNow();
    outcome = waitForOutcome(checked);
    QCOMPARE(outcome.kind, ModelRetrainer::Outcome::Kind::Trained);
    QVERIFY2(outcome.replaced, qPrintable(outcome.message));
    QVERIFY(LearnedModelStore(m_temporary->database()).activeModelId() > 0);

    // The verdicts it learned from do not start another training.
    retrainer.checkNow();
    outcome = waitForOutcome(checked);
    QCOMPARE(outcome.kind, ModelRetrainer::Outcome::Kind::NotDue);
    QCOMPARE(outcome.newVerdicts, 0);
    QCOMPARE(LearnedModelStore(m_temporary->database()).list().size(), 1);
}

void TestModelRetrainer::trainingLeavesTheCallingThreadFree()
{
    storeVerdicts(900);
    ModelRetrainer retrainer(m_temporary->database(), options(100));
    QSignalSpy checked(&retrainer, &ModelRetrainer::checked);
    // Were the training on this thread, the timer could not fire until it was over.
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start();
    QElapsedTimer clock;
    clock.start();
    retrainer.checkNow();
    QVERIFY(clock.elapsed() < 50);
    const ModelRetrainer::Outcome outcome = waitForOutcome(checked);
    QCOMPARE(outcome.kind, ModelRetrainer::Outcome::Kind::Trained);
    QVERIFY2(ticks >= 5, qPrintable(u"%1 ticks in %2 ms"_s.arg(ticks).arg(clock.elapsed())));
}

void TestModelRetrainer::oneNodeAtATimeOnASharedDatabase()
{
    storeVerdicts(300);
    // Two nodes: each its own connections to the same database.
    const Database otherNode(m_temporary->database().config());
    ModelRetrainer here(m_temporary->database(), options(100));
    ModelRetrainer there(otherNode, options(100));
    QSignalSpy hereChecked(&here, &ModelRetrainer::checked);
    QSignalSpy thereChecked(&there, &ModelRetrainer::checked);
    here.checkNow();
    there.checkNow();
    const ModelRetrainer::Outcome first = waitForOutcome(hereChecked);
    const ModelRetrainer::Outcome second = waitForOutcome(thereChecked);
    const int trained = int(first.kind == ModelRetrainer::Outcome::Kind::Trained) +
                        int(second.kind == ModelRetrainer::Outcome::Kind::Trained);
    QCOMPARE(trained, 1);
    // The other was either turned away by the lease or found the verdicts already learned.
    for (const ModelRetrainer::Outcome &outcome : {first, second}) {
        QVERIFY(outcome.kind == ModelRetrainer::Outcome::Kind::Trained ||
                outcome.kind == ModelRetrainer::Outcome::Kind::Busy ||
                outcome.kind == ModelRetrainer::Outcome::Kind::NotDue);
    }
    QCOMPARE(LearnedModelStore(m_temporary->database()).list().size(), 1);
}

void TestModelRetrainer::anotherNodesLeaseHoldsUntilItRunsOut()
{
    storeVerdicts(200);
    ModelTrainingRepository training(m_temporary->database());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(training.claim(u"crashed-node"_s, now, now.addMSecs(1500)));
    QVERIFY(!training.claim(u"other"_s, now, now.addSecs(60)));

    ModelRetrainer retrainer(m_temporary->database(), options(100));
    QSignalSpy checked(&retrainer, &ModelRetrainer::checked);
    retrainer.checkNow();
    QCOMPARE(waitForOutcome(checked).kind, ModelRetrainer::Outcome::Kind::Busy);
    QTest::qWait(1600);
    retrainer.checkNow();
    QCOMPARE(waitForOutcome(checked).kind, ModelRetrainer::Outcome::Kind::Trained);
    // Released: anyone may claim it again.
    QVERIFY(training.claim(u"other"_s, QDateTime::currentDateTimeUtc(),
                           QDateTime::currentDateTimeUtc().addSecs(60)));
}

void TestModelRetrainer::integrationsVerdictsDoNotCount()
{
    // A CRM setting categories is its own system's opinion: it neither teaches nor starts a
    // training (which would learn nothing new).
    const QList<TrainingExample> examples = TrainingFixture::teamExamples();
    TicketRepository tickets(m_temporary->database());
    ClassificationRepository classifications(m_temporary->database());
    for (int i = 0; i < 120; ++i) {
        const Ticket ticket = tickets.create(TicketDraft::fromSubjectAndBody(
            u"CRM %1"_s.arg(i), examples.at(i).text, TicketSource::Api));
        classifications.addVerdict({ticket.id}, examples.at(i).category,
                                   Actor::integration(u"crm"_s));
    }
    QCOMPARE(ModelTrainingRepository(m_temporary->database()).verdicts().newSinceTraining, 0);
    storeVerdicts(30);
    QCOMPARE(ModelTrainingRepository(m_temporary->database()).verdicts().newSinceTraining, 30);
}

// Closing the window destroys the retrainer: it must not wait for the whole training, must
// store nothing half-judged, and must leave the verdicts to be learned from and the lease free.
void TestModelRetrainer::closingStopsATrainingInProgress()
{
    storeVerdicts(900);
    auto retrainer = std::make_unique<ModelRetrainer>(m_temporary->database(), options(100));
    retrainer->checkNow();
    // Started once the lease is taken; the training itself takes far longer than noticing that.
    QSqlQuery lease(m_temporary->database().connection());
    const auto leaseTaken = [&lease] {
        const bool taken = lease.exec(u"SELECT lease_owner FROM model_training"_s) &&
                           lease.next() && !lease.value(0).isNull();
        lease.finish();
        return taken;
    };
    QTRY_VERIFY_WITH_TIMEOUT(leaseTaken(), 10'000);
    QElapsedTimer closing;
    closing.start();
    retrainer.reset();
    qInfo("closing took %lld ms", closing.elapsed());

    QVERIFY(LearnedModelStore(m_temporary->database()).list().isEmpty());
    ModelTrainingRepository training(m_temporary->database());
    QCOMPARE(training.verdicts().newSinceTraining, 900);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(training.claim(u"next start"_s, now, now.addSecs(60)));
}

QTEST_GUILESS_MAIN(TestModelRetrainer)
#include "tst_modelretrainer.moc"
