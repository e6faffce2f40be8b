#include "learnedmodelrepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"

#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <thread>

using namespace Qt::StringLiterals;

namespace {
constexpr LearnedModel::Slot kClassifier = LearnedModel::Slot::Classifier;
constexpr LearnedModel::Slot kCalibration = LearnedModel::Slot::RulesCalibration;
} // namespace

class TestLearnedModelRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyDatabaseHasNoModel();
    void storedModelReadsBackByteIdentical();
    void newModelBecomesTheOnlyActiveOneAndEarlierOnesAreKept();
    void versionQueryChangesWhenAnotherConnectionStores();
    void addIfNoneStoredNeverReplaces();
    void secondActiveModelIsRefusedByTheSchema();
    void oneClassifierIsActiveWhateverItsKind();
    void rulesCalibrationIsActiveBesideTheClassifier();
    void activateRollsBackAndClearsThePin();
    void addReplacingStoresOnlyOverTheExpectedUnpinnedModel();
    void twoFirstModelsAtOnceStoreOneAndRefuseTheOther();
    void pinIsRefusedOnAnInactiveModelBySchema();
    void onlyTheNewestModelsAreKept();

private:
    static LearnedModel model(const QString &version, qsizetype bytes,
                              QLatin1StringView kind = LearnedModel::kFastText);

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestLearnedModelRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestLearnedModelRepository::cleanup()
{
    m_temporary.reset();
}

LearnedModel TestLearnedModelRepository::model(const QString &version, qsizetype bytes,
                                               QLatin1StringView kind)
{
    LearnedModel model;
    model.kind = kind;
    model.version = version;
    model.metadata = uR"({"version": "%1", "note": "Grüße"})"_s.arg(version);
    // Every byte value, NULs and invalid UTF-8 included, as a real model file has them.
    model.model.resize(bytes);
    QRandomGenerator generator(42);
    for (char &byte : model.model)
        byte = char(generator.bounded(256));
    return model;
}

void TestLearnedModelRepository::emptyDatabaseHasNoModel()
{
    LearnedModelRepository repository(m_temporary->database());
    QVERIFY(!repository.active(kClassifier));
    QVERIFY(!repository.activeVersion(kClassifier));
    QVERIFY(repository.list(kClassifier).isEmpty());
}

void TestLearnedModelRepository::storedModelReadsBackByteIdentical()
{
    LearnedModelRepository repository(m_temporary->database());
    LearnedModel stored = model(u"20261122-043100"_s, 3 * 1024 * 1024 + 7);
    stored.createdAt = QDateTime(QDate(2026, 11, 22), QTime(4, 31, 5, 250), Qt::UTC);
    const qint64 id = repository.add(stored);
    QVERIFY(id > 0);

    const std::optional<LearnedModel> active = repository.active(kClassifier);
    QVERIFY(active);
    QCOMPARE(active->id, id);
    QCOMPARE(active->kind, u"fasttext"_s);
    QCOMPARE(active->version, stored.version);
    QCOMPARE(active->createdAt, stored.createdAt);
    QCOMPARE(active->metadata, stored.metadata);
    QCOMPARE(active->model.size(), stored.model.size());
    QVERIFY(active->model == stored.model);
    QVERIFY(active->active);

    const std::optional<LearnedModel> version = repository.activeVersion(kClassifier);
    QVERIFY(version);
    QCOMPARE(version->id, id);
    QCOMPARE(version->version, stored.version);
    // The cheap query leaves the heavy columns behind.
    QVERIFY(version->model.isEmpty());
    QVERIFY(version->metadata.isEmpty());
}

void TestLearnedModelRepository::newModelBecomesTheOnlyActiveOneAndEarlierOnesAreKept()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 first = repository.add(model(u"one"_s, 100));
    const qint64 second = repository.add(model(u"two"_s, 200));
    const qint64 third = repository.add(model(u"three"_s, 300));
    QVERIFY(first < second && second < third);

    QCOMPARE(repository.active(kClassifier)->version, u"three"_s);
    QCOMPARE(repository.active(kClassifier)->model, model(u"three"_s, 300).model);
    const QList<LearnedModel> models = repository.list(kClassifier);
    QCOMPARE(models.size(), 3);
    QCOMPARE(models.at(0).id, third);
    QCOMPARE(models.at(2).id, first);
    QCOMPARE(std::count_if(models.cbegin(), models.cend(),
                           [](const LearnedModel &m) { return m.active; }),
             1);
    QVERIFY(models.at(0).active);

    QSqlQuery count(m_temporary->database().connection());
    QVERIFY(count.exec(u"SELECT COUNT(*) FROM learned_models WHERE active = 1"_s));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 1);
}

void TestLearnedModelRepository::versionQueryChangesWhenAnotherConnectionStores()
{
    // Another node: its own Database object, so its own connection, on the same database.
    const Database other(m_temporary->database().config());
    LearnedModelRepository here(m_temporary->database());
    LearnedModelRepository there(other);

    const qint64 first = there.add(model(u"one"_s, 10));
    QCOMPARE(here.activeVersion(kClassifier)->id, first);
    const qint64 second = there.add(model(u"two"_s, 10));
    const std::optional<LearnedModel> seen = here.activeVersion(kClassifier);
    QVERIFY(seen);
    QCOMPARE(seen->id, second);
    QCOMPARE(seen->version, u"two"_s);
    other.closeThreadConnection();
}

void TestLearnedModelRepository::addIfNoneStoredNeverReplaces()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 imported = repository.addIfNoneStored(model(u"imported"_s, 50));
    QVERIFY(imported > 0);
    QCOMPARE(repository.addIfNoneStored(model(u"again"_s, 50)), 0);
    QCOMPARE(repository.active(kClassifier)->id, imported);
    QCOMPARE(repository.list(kClassifier).size(), 1);
}

void TestLearnedModelRepository::secondActiveModelIsRefusedByTheSchema()
{
    LearnedModelRepository repository(m_temporary->database());
    repository.add(model(u"one"_s, 10));
    QSqlQuery insert(m_temporary->database().connection());
    insert.prepare(u"INSERT INTO learned_models (kind, version, created_at, metadata, model, "
                   "active) VALUES ('fasttext', 'rogue', 0, '{}', ?, 1)"_s);
    insert.addBindValue(QByteArray("x"));
    QVERIFY(!insert.exec());
    QCOMPARE(repository.active(kClassifier)->version, u"one"_s);
}

void TestLearnedModelRepository::oneClassifierIsActiveWhateverItsKind()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 fastText = repository.add(model(u"one"_s, 10));
    const qint64 linear = repository.add(model(u"two"_s, 10, LearnedModel::kLinear));
    const std::optional<LearnedModel> active = repository.active(kClassifier);
    QVERIFY(active);
    QCOMPARE(active->id, linear);
    QCOMPARE(active->kind, u"linear"_s);
    QVERIFY(!repository.find(fastText)->active);
    QCOMPARE(repository.list(kClassifier).size(), 2);
    // The schema itself refuses a second active classifier of another kind.
    QSqlQuery insert(m_temporary->database().connection());
    insert.prepare(u"INSERT INTO learned_models (kind, version, created_at, metadata, model, "
                   "active) VALUES ('fasttext', 'rogue', 0, '{}', ?, 1)"_s);
    insert.addBindValue(QByteArray("x"));
    QVERIFY(!insert.exec());
}

void TestLearnedModelRepository::rulesCalibrationIsActiveBesideTheClassifier()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 classifier = repository.add(model(u"one"_s, 10, LearnedModel::kLinear));
    const qint64 calibration = repository.add(model(u"cal"_s, 10, LearnedModel::kRulesCalibration));
    QCOMPARE(repository.activeVersion(kClassifier)->id, classifier);
    QCOMPARE(repository.activeVersion(kCalibration)->id, calibration);
    QCOMPARE(repository.list(kClassifier).size(), 1);
    QCOMPARE(repository.list(kCalibration).size(), 1);
    // An import of a first classifier is not stopped by a calibration, nor the other way.
    QCOMPARE(repository.addIfNoneStored(model(u"cal2"_s, 10, LearnedModel::kRulesCalibration)), 0);
}

void TestLearnedModelRepository::activateRollsBackAndClearsThePin()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 first = repository.add(model(u"one"_s, 10));
    const qint64 second = repository.add(model(u"two"_s, 10, LearnedModel::kLinear));
    QVERIFY(repository.setActivePinned(kClassifier, true));
    QVERIFY(repository.activeVersion(kClassifier)->pinned);

    QVERIFY(repository.activate(first));
    const std::optional<LearnedModel> active = repository.activeVersion(kClassifier);
    QCOMPARE(active->id, first);
    QVERIFY(!active->pinned);
    QVERIFY(!repository.find(second)->active);
    QVERIFY(!repository.find(second)->pinned);
    QVERIFY(!repository.activate(second + 1000));
    QCOMPARE(repository.activeVersion(kClassifier)->id, first);

    // Activating the model already in use changes nothing, its pin included.
    QVERIFY(repository.setActivePinned(kClassifier, true));
    QVERIFY(repository.activate(first));
    QCOMPARE(repository.activeVersion(kClassifier)->id, first);
    QVERIFY(repository.activeVersion(kClassifier)->pinned);
}

void TestLearnedModelRepository::addReplacingStoresOnlyOverTheExpectedUnpinnedModel()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 first = repository.addReplacing(model(u"one"_s, 10, LearnedModel::kLinear), 0);
    QVERIFY(first > 0);
    // Trained while "one" was not yet stored: another node got there first.
    QCOMPARE(repository.addReplacing(model(u"late"_s, 10, LearnedModel::kLinear), 0), 0);
    const qint64 second =
        repository.addReplacing(model(u"two"_s, 10, LearnedModel::kLinear), first);
    QVERIFY(second > first);
    QCOMPARE(repository.addReplacing(model(u"stale"_s, 10, LearnedModel::kLinear), first), 0);

    QVERIFY(repository.setActivePinned(kClassifier, true));
    QCOMPARE(repository.addReplacing(model(u"three"_s, 10, LearnedModel::kLinear), second), 0);
    QCOMPARE(repository.activeVersion(kClassifier)->id, second);
    QVERIFY(repository.setActivePinned(kClassifier, false));
    QVERIFY(repository.addReplacing(model(u"three"_s, 10, LearnedModel::kLinear), second) > 0);
    QCOMPARE(repository.list(kClassifier).size(), 3);
}

// `train` on one machine and background retraining on another finishing together on an empty
// database: the second to store finds the first's model and stores nothing, rather than failing
// on the unique index (PostgreSQL's transactions see the other's row only once it commits).
void TestLearnedModelRepository::twoFirstModelsAtOnceStoreOneAndRefuseTheOther()
{
    const Database other(m_temporary->database().config());
    QSemaphore inserted;
    QSemaphore mayCommit;
    // Checked on this thread: QTest's macros belong to the test's own thread.
    bool otherInserted = false;
    bool otherCommitted = false;
    std::thread otherNode([&] {
        QSqlDatabase db = other.connection();
        if (db.transaction()) {
            QSqlQuery insert(db);
            insert.prepare(u"INSERT INTO learned_models (kind, version, created_at, metadata, "
                           "model, active) VALUES ('linear', 'there', 0, '{}', ?, 1)"_s);
            insert.addBindValue(QByteArray("x"));
            otherInserted = insert.exec();
        }
        inserted.release();
        if (otherInserted && mayCommit.tryAcquire(1, 10'000)) {
            // Long enough for this node to be waiting on the other's row.
            QThread::msleep(300);
            otherCommitted = db.commit();
        }
        other.closeThreadConnection();
    });
    const auto joinOtherNode = qScopeGuard([&] {
        mayCommit.release();
        if (otherNode.joinable())
            otherNode.join();
    });
    QVERIFY(inserted.tryAcquire(1, 10'000));
    QVERIFY(otherInserted);
    mayCommit.release();
    LearnedModelRepository here(m_temporary->database());
    const qint64 stored = here.addReplacing(model(u"here"_s, 10, LearnedModel::kLinear), 0);
    otherNode.join();
    QCOMPARE(stored, 0);
    QVERIFY(otherCommitted);
    QCOMPARE(here.activeVersion(kClassifier)->version, u"there"_s);
    QCOMPARE(here.list(kClassifier).size(), 1);
}

void TestLearnedModelRepository::pinIsRefusedOnAnInactiveModelBySchema()
{
    LearnedModelRepository repository(m_temporary->database());
    QVERIFY(!repository.setActivePinned(kClassifier, true));
    const qint64 first = repository.add(model(u"one"_s, 10));
    repository.add(model(u"two"_s, 10));
    QSqlQuery pin(m_temporary->database().connection());
    pin.prepare(u"UPDATE learned_models SET pinned = 1 WHERE id = ?"_s);
    pin.addBindValue(first);
    QVERIFY(!pin.exec());
}

void TestLearnedModelRepository::onlyTheNewestModelsAreKept()
{
    LearnedModelRepository repository(m_temporary->database());
    const qint64 calibration = repository.add(model(u"cal"_s, 10, LearnedModel::kRulesCalibration));
    const qint64 first = repository.add(model(u"first"_s, 10));
    QList<qint64> ids;
    for (int i = 0; i < LearnedModelRepository::kKept + 5; ++i)
        ids.append(repository.add(model(u"m%1"_s.arg(i), 10, LearnedModel::kLinear)));
    const QList<LearnedModel> kept = repository.list(kClassifier);
    QCOMPARE(kept.size(), LearnedModelRepository::kKept);
    QCOMPARE(kept.first().id, ids.last());
    QCOMPARE(kept.last().id, ids.at(ids.size() - LearnedModelRepository::kKept));
    QVERIFY(!repository.find(first));
    // Another slot is counted apart.
    QCOMPARE(repository.activeVersion(kCalibration)->id, calibration);

    // Rolling back to the oldest kept forgets nothing.
    QVERIFY(repository.activate(kept.last().id));
    QCOMPARE(repository.list(kClassifier).size(), LearnedModelRepository::kKept);
    QVERIFY(repository.find(kept.last().id)->active);
}

QTEST_GUILESS_MAIN(TestLearnedModelRepository)
#include "tst_learnedmodelrepository.moc"
