#include "learnedmodelrepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

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

private:
    static LearnedModel model(const QString &version, qsizetype bytes);

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

LearnedModel TestLearnedModelRepository::model(const QString &version, qsizetype bytes)
{
    LearnedModel model;
    model.kind = u"fasttext"_s;
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
    QVERIFY(!repository.active(u"fasttext"_s));
    QVERIFY(!repository.activeVersion(u"fasttext"_s));
    QVERIFY(repository.list(u"fasttext"_s).isEmpty());
}

void TestLearnedModelRepository::storedModelReadsBackByteIdentical()
{
    LearnedModelRepository repository(m_temporary->database());
    LearnedModel stored = model(u"20261122-043100"_s, 3 * 1024 * 1024 + 7);
    stored.createdAt = QDateTime(QDate(2026, 11, 22), QTime(4, 31, 5, 250), Qt::UTC);
    const qint64 id = repository.add(stored);
    QVERIFY(id > 0);

    const std::optional<LearnedModel> active = repository.active(u"fasttext"_s);
    QVERIFY(active);
    QCOMPARE(active->id, id);
    QCOMPARE(active->kind, u"fasttext"_s);
    QCOMPARE(active->version, stored.version);
    QCOMPARE(active->createdAt, stored.createdAt);
    QCOMPARE(active->metadata, stored.metadata);
    QCOMPARE(active->model.size(), stored.model.size());
    QVERIFY(active->model == stored.model);
    QVERIFY(active->active);

    const std::optional<LearnedModel> version = repository.activeVersion(u"fasttext"_s);
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

    QCOMPARE(repository.active(u"fasttext"_s)->version, u"three"_s);
    QCOMPARE(repository.active(u"fasttext"_s)->model, model(u"three"_s, 300).model);
    const QList<LearnedModel> models = repository.list(u"fasttext"_s);
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
    QCOMPARE(here.activeVersion(u"fasttext"_s)->id, first);
    const qint64 second = there.add(model(u"two"_s, 10));
    const std::optional<LearnedModel> seen = here.activeVersion(u"fasttext"_s);
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
    QCOMPARE(repository.active(u"fasttext"_s)->id, imported);
    QCOMPARE(repository.list(u"fasttext"_s).size(), 1);
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
    QCOMPARE(repository.active(u"fasttext"_s)->version, u"one"_s);
}

QTEST_GUILESS_MAIN(TestLearnedModelRepository)
#include "tst_learnedmodelrepository.moc"
