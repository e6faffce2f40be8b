// Migration 0010 rebuilds (SQLite) or re-constrains (PostgreSQL) the classifications and
// learned_models tables: an upgraded database keeps every row and every trigger's behaviour.
#include "classificationrepository.h"
#include "learnedmodelrepository.h"
#include "migrator.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestLocalModelsMigration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upgradeKeepsResultsModelsAndTriggers();

private:
    // Runs one statement as the v0.4 program would have; returns the new row's id.
    static qint64 exec(Database &database, const QString &sql, const QVariantList &values = {});
    static QVariant value(Database &database, const QString &sql);
};

qint64 TestLocalModelsMigration::exec(Database &database, const QString &sql,
                                      const QVariantList &values)
{
    QSqlQuery query(database.connection());
    if (!query.prepare(sql))
        qFatal("%s", qPrintable(query.lastError().text()));
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        qFatal("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return query.lastInsertId().toLongLong();
}

QVariant TestLocalModelsMigration::value(Database &database, const QString &sql)
{
    QSqlQuery query(database.connection());
    if (!query.exec(sql) || !query.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return query.value(0);
}

void TestLocalModelsMigration::upgradeKeepsResultsModelsAndTriggers()
{
    TemporaryDatabase temporary(TemporaryDatabase::Schema::Empty);
    Database &database = temporary.database();
    temporary.migrateTo(9);

    // What v0.4 stored: a ticket classified by fastText, and the fastText model.
    const qint64 ticket =
        exec(database, u"INSERT INTO tickets (body, form, source, status, created_at, "
                       "updated_at) VALUES ('Printer on fire', 'text', 'api', 'open', "
                       "86400000, 86400000)"_s);
    const qint64 result =
        exec(database,
             u"INSERT INTO classifications (ticket_id, category, confidence, model, "
             "processing_ms, created_at, provider, needs_review) VALUES (?, 'technical', 0.35, "
             "'fasttext-1', 2, 86400000, 'fasttext', 1)"_s,
             {ticket});
    exec(database,
         u"INSERT INTO learned_models (kind, version, created_at, metadata, model, active) "
         "VALUES ('fasttext', 'v1', 0, '{}', ?, 1)"_s,
         {QByteArray("model bytes")});
    QCOMPARE(value(database, u"SELECT n FROM confidence_counts WHERE bucket = 3"_s).toInt(), 1);

    database.migrate();
    QVERIFY(Migrator(database).currentVersion() >= 10);

    // The old result reads back as the learned model's, with everything it had.
    const std::optional<Ticket> read = TicketRepository(database).find(ticket);
    QVERIFY(read && read->classification);
    QCOMPARE(read->classification->id, result);
    QCOMPARE(read->classification->provider, ClassificationProvider::Learned);
    QCOMPARE(read->classification->model, u"fasttext-1"_s);
    QVERIFY(read->needsReview);
    const std::optional<LearnedModel> model =
        LearnedModelRepository(database).active(LearnedModel::Slot::Classifier);
    QVERIFY(model);
    QCOMPARE(model->model, QByteArray("model bytes"));
    QVERIFY(!model->pinned);

    // The triggers still follow new results and deleted tickets.
    Classification verdict;
    verdict.ticketId = ticket;
    verdict.category = Category::Billing;
    verdict.confidence = 0.95;
    verdict.provider = ClassificationProvider::Learned;
    verdict.model = u"linear-2"_s;
    const qint64 newer = ClassificationRepository(database).add(verdict);
    QVERIFY(newer > result);
    QCOMPARE(TicketRepository(database).find(ticket)->category, Category::Billing);
    QCOMPARE(value(database, u"SELECT n FROM confidence_counts WHERE bucket = 3"_s).toInt(), 0);
    QCOMPARE(value(database, u"SELECT n FROM confidence_counts WHERE bucket = 9"_s).toInt(), 1);
    exec(database, u"DELETE FROM tickets WHERE id = ?"_s, {ticket});
    QCOMPARE(value(database, u"SELECT n FROM confidence_counts WHERE bucket = 9"_s).toInt(), 0);
    QCOMPARE(value(database, u"SELECT COUNT(*) FROM classifications"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestLocalModelsMigration)
#include "tst_localmodelsmigration.moc"
