#include "database.h"
#include "readsnapshot.h"
#include "temporarydatabase.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestReadSnapshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAgreeWhileAnotherConnectionCommits();
    void theConnectionWritesAgainAfterIt();

private:
    static qint64 ticketCount(const Database &database);
    static void insertTicket(const Database &database);
};

qint64 TestReadSnapshot::ticketCount(const Database &database)
{
    QSqlQuery query(database.connection());
    if (!query.exec(u"SELECT COUNT(*) FROM tickets"_s) || !query.next())
        qFatal("count failed: %s", qPrintable(query.lastError().text()));
    return query.value(0).toLongLong();
}

void TestReadSnapshot::insertTicket(const Database &database)
{
    Transaction transaction(database);
    QSqlQuery query(database.connection());
    if (!query.exec(u"INSERT INTO tickets (subject, body, form, source, status, created_at, "
                    "updated_at) VALUES ('s', 'b', 'text', 'api', 'open', 1, 1)"_s))
        qFatal("insert failed: %s", qPrintable(query.lastError().text()));
    transaction.commit();
}

void TestReadSnapshot::readsAgreeWhileAnotherConnectionCommits()
{
    TemporaryDatabase temporary;
    const Database &database = temporary.database();
    // Another connection, as another node or the API thread would have.
    const Database other(database.config());
    insertTicket(other);
    {
        const ReadSnapshot snapshot(database);
        QCOMPARE(ticketCount(database), 1);
        insertTicket(other);
        QCOMPARE(ticketCount(database), 1);
    }
    QCOMPARE(ticketCount(database), 2);
    other.closeThreadConnection();
}

void TestReadSnapshot::theConnectionWritesAgainAfterIt()
{
    TemporaryDatabase temporary;
    const Database &database = temporary.database();
    {
        const ReadSnapshot snapshot(database);
        QCOMPARE(ticketCount(database), 0);
    }
    // A snapshot left open would make this BEGIN fail on SQLite and be ignored on PostgreSQL,
    // where the READ ONLY transaction would then refuse the insert.
    insertTicket(database);
    QCOMPARE(ticketCount(database), 1);
}

QTEST_GUILESS_MAIN(TestReadSnapshot)
#include "tst_readsnapshot.moc"
