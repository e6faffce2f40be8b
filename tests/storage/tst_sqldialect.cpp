#include "database.h"
#include "postgresdialect.h"
#include "sqlitedialect.h"
#include "statementcache.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketreader.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSqlDialect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void databaseChoosesByDriver_data();
    void databaseChoosesByDriver();
    void unknownDriverIsRefused();

    void sqliteSearch_data();
    void sqliteSearch();
    void sqliteKeepsItsTunedSql();
    void sqliteConnectionSetup();
    void sqliteSeesOtherConnectionsWrite();
    void commitTokenChangesWithEveryCommit();

    void postgresSearch_data();
    void postgresSearch();
    void postgresSortsNullBelowEveryValue();
    void postgresConnectOptionsKeepTheConfigs();
    void postgresHasNoPollingOrFastReader();
};

void TestSqlDialect::databaseChoosesByDriver_data()
{
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("folder");
    QTest::addColumn<bool>("writeMutex");
    QTest::addColumn<bool>("storesSearchWords");

    QTest::newRow("sqlite") << u"QSQLITE"_s << u"sqlite"_s << true << false;
    QTest::newRow("postgresql") << u"QPSQL"_s << u"postgresql"_s << false << true;
}

void TestSqlDialect::databaseChoosesByDriver()
{
    QFETCH(QString, driver);
    QFETCH(QString, folder);
    QFETCH(bool, writeMutex);
    QFETCH(bool, storesSearchWords);

    DatabaseConfig config;
    config.driver = driver;
    const Database database(config); // connects only on first use
    QCOMPARE(database.dialect().migrationsFolder(), folder);
    QCOMPARE(database.writeMutex() != nullptr, writeMutex);
    QCOMPARE(database.dialect().serialisesWriters(), writeMutex);
    QCOMPARE(database.dialect().storesSearchWords(), storesSearchWords);
}

void TestSqlDialect::unknownDriverIsRefused()
{
    DatabaseConfig config;
    config.driver = u"QMYSQL"_s;
    QVERIFY_THROWS_EXCEPTION(StorageError, Database{config});
}

void TestSqlDialect::sqliteSearch_data()
{
    QTest::addColumn<QStringList>("typed");
    QTest::addColumn<QString>("query");

    QTest::newRow("words") << QStringList{u"refund"_s, u"inv"_s} << uR"("refund"* "inv"*)"_s;
    QTest::newRow("quotes doubled") << QStringList{u"say\"hi"_s} << uR"("say""hi"*)"_s;
    QTest::newRow("punctuation skipped") << QStringList{u"--"_s, u"100%"_s} << uR"("100%"*)"_s;
    QTest::newRow("nothing to index") << QStringList{u"?!"_s} << QString();
    QTest::newRow("accents left to the tokenizer") << QStringList{u"Über"_s} << uR"("Über"*)"_s;
}

void TestSqlDialect::sqliteSearch()
{
    QFETCH(QStringList, typed);
    QFETCH(QString, query);
    QCOMPARE(SqliteDialect().searchQuery(typed), query);
}

void TestSqlDialect::sqliteKeepsItsTunedSql()
{
    const SqliteDialect dialect;
    QCOMPARE(dialect.searchCondition(false),
             u"t.id IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ?)"_s);
    QVERIFY(dialect.tunesFrequentSearches());
    QCOMPARE(dialect.searchCondition(true),
             u"+t.id IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ?)"_s);
    QCOMPARE(dialect.searchCountSql(),
             u"SELECT COUNT(*) FROM tickets_search WHERE tickets_search MATCH ?"_s);
    QCOMPARE(dialect.orderTerm(u"c.confidence"_s, Qt::AscendingOrder), u"c.confidence ASC"_s);
    QCOMPARE(dialect.orderTerm(u"c.confidence"_s, Qt::DescendingOrder), u"c.confidence DESC"_s);
}

void TestSqlDialect::sqliteConnectionSetup()
{
    const SqliteDialect dialect;
    DatabaseConfig config;
    QCOMPARE(dialect.connectOptions(config), u"QSQLITE_BUSY_TIMEOUT=10000"_s);
    config.connectOptions = u"QSQLITE_BUSY_TIMEOUT=50;QSQLITE_OPEN_READONLY"_s;
    QCOMPARE(dialect.connectOptions(config), u"QSQLITE_BUSY_TIMEOUT=50;QSQLITE_OPEN_READONLY"_s);

    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const auto pragma = [](QSqlDatabase &db, const QString &name) {
        QSqlQuery query(db);
        return query.exec(u"PRAGMA "_s + name) && query.next() ? query.value(0).toString()
                                                               : query.lastError().text();
    };
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"setup"_s);
        db.setDatabaseName(directory.filePath(u"setup.sqlite"_s));
        QVERIFY(db.open());
        config.memoryMapBytes = 4096;
        dialect.configureSession(db, config);
        QCOMPARE(pragma(db, u"journal_mode"_s), u"wal"_s);
        QCOMPARE(pragma(db, u"mmap_size"_s), u"4096"_s);
        QCOMPARE(pragma(db, u"foreign_keys"_s), u"1"_s);
        config.memoryMapBytes = -1;
        dialect.configureSession(db, config);
        QCOMPARE(pragma(db, u"mmap_size"_s), u"0"_s);
    }
    QSqlDatabase::removeDatabase(u"setup"_s);
}

void TestSqlDialect::sqliteSeesOtherConnectionsWrite()
{
    TemporaryDatabase temporary;
    if (temporary.isPostgres())
        QSKIP("SQLite's PRAGMA data_version polling and sqlite3 ticket reader; PostgreSQL has "
              "neither (postgresHasNoPollingOrFastReader checks that)");
    const SqlDialect &dialect = temporary.database().dialect();
    QSqlDatabase db = temporary.database().connection();
    QVERIFY(dialect.createTicketReader(db));

    StatementCache statements(db);
    const auto before = dialect.writeVersion(statements);
    QVERIFY(before);
    QCOMPARE(dialect.writeVersion(statements), before);

    // Another connection to the same file, as another process would have.
    const Database other(DatabaseConfig::sqlite(temporary.path()));
    {
        QSqlDatabase otherDb = other.connection();
        other.dialect().beginWrite(otherDb);
        QSqlQuery insert(otherDb);
        QVERIFY(insert.exec(
            u"INSERT INTO tickets (subject, body, form, source, status, "
            "created_at, updated_at) VALUES ('s', 'b', 'text', 'api', 'open', 1, 1)"_s));
        QVERIFY(otherDb.commit());
    }
    other.closeThreadConnection();
    const auto afterOther = dialect.writeVersion(statements);
    QVERIFY(afterOther);
    QVERIFY(afterOther->byOthers != before->byOthers);
    QCOMPARE(afterOther->byThisConnection, before->byThisConnection);

    dialect.beginWrite(db);
    QSqlQuery update(db);
    QVERIFY(update.exec(u"UPDATE tickets SET status = 'resolved'"_s));
    QVERIFY(db.commit());
    const auto afterOwn = dialect.writeVersion(statements);
    QVERIFY(afterOwn);
    QCOMPARE(afterOwn->byOthers, afterOther->byOthers);
    QVERIFY(afterOwn->byThisConnection != afterOther->byThisConnection);
}

void TestSqlDialect::commitTokenChangesWithEveryCommit()
{
    TemporaryDatabase temporary;
    const SqlDialect &dialect = temporary.database().dialect();
    QSqlDatabase db = temporary.database().connection();
    StatementCache statements(db);
    const auto tokenInSnapshot = [&] {
        const bool snapshot = dialect.beginReadSnapshot(db);
        const std::optional<QString> token = dialect.commitToken(statements);
        if (snapshot)
            db.commit();
        return token;
    };
    const auto insert = [](const Database &database) {
        QSqlDatabase writer = database.connection();
        database.dialect().beginWrite(writer);
        QSqlQuery query(writer);
        QVERIFY2(
            query.exec(u"INSERT INTO tickets (subject, body, form, source, status, "
                       "created_at, updated_at) VALUES ('s', 'b', 'text', 'api', 'open', 1, 1)"_s),
            qPrintable(query.lastError().text()));
        QVERIFY(writer.commit());
    };

    // With nothing committed between two reads they agree. On PostgreSQL any commit in the
    // whole server moves the snapshot, and CTest runs other tests' databases on the same server
    // at once, so an agreeing pair is looked for rather than expected from the first.
    const auto agreesWhenNothingCommits = [&] {
        for (int attempt = 0; attempt < 50; ++attempt) {
            const std::optional<QString> first = tokenInSnapshot();
            if (first && tokenInSnapshot() == first)
                return true;
        }
        return false;
    };
    const std::optional<QString> before = tokenInSnapshot();
    QVERIFY(before);
    QVERIFY(agreesWhenNothingCommits());

    // Another connection, as another node or process would have.
    const Database other(temporary.database().config());
    insert(other);
    other.closeThreadConnection();
    const std::optional<QString> afterOther = tokenInSnapshot();
    QVERIFY(afterOther);
    QVERIFY(*afterOther != *before);
    QVERIFY(agreesWhenNothingCommits());

    insert(temporary.database());
    const std::optional<QString> afterOwn = tokenInSnapshot();
    QVERIFY(afterOwn);
    QVERIFY(*afterOwn != *afterOther);
}

void TestSqlDialect::postgresSearch_data()
{
    QTest::addColumn<QStringList>("typed");
    QTest::addColumn<QString>("query");

    QTest::newRow("words") << QStringList{u"Refund"_s, u"inv"_s} << u"refund:* & inv:*"_s;
    QTest::newRow("accents folded") << QStringList{u"Über"_s, u"CAFÉ"_s} << u"uber:* & cafe:*"_s;
    QTest::newRow("e-mail split like the stored words")
        << QStringList{u"john@example.com"_s} << u"john:* & example:* & com:*"_s;
    QTest::newRow("operators cannot get through")
        << QStringList{u"a|b"_s, u"!c"_s, u"(d)"_s, u"e:*"_s, u"'f'"_s}
        << u"a:* & b:* & c:* & d:* & e:* & f:*"_s;
    QTest::newRow("punctuation skipped") << QStringList{u"--"_s, u"100%"_s} << u"100:*"_s;
    QTest::newRow("nothing to index") << QStringList{u"?!"_s} << QString();
    QTest::newRow("cjk kept whole") << QStringList{u"注文"_s} << u"注文:*"_s;
}

void TestSqlDialect::postgresSearch()
{
    QFETCH(QStringList, typed);
    QFETCH(QString, query);
    const PostgresDialect dialect;
    QCOMPARE(dialect.searchQuery(typed), query);
    const QString condition = u"t.search_vector @@ to_tsquery('simple', ?)"_s;
    QCOMPARE(dialect.searchCondition(false), condition);
    QCOMPARE(dialect.searchCondition(true), condition);
    QVERIFY(!dialect.tunesFrequentSearches());
    QCOMPARE(dialect.searchCountSql(), u"SELECT COUNT(*) FROM tickets t WHERE "_s + condition);
}

void TestSqlDialect::postgresSortsNullBelowEveryValue()
{
    const PostgresDialect dialect;
    QCOMPARE(dialect.orderTerm(u"t.category"_s, Qt::AscendingOrder),
             u"t.category ASC NULLS FIRST"_s);
    QCOMPARE(dialect.orderTerm(u"t.category"_s, Qt::DescendingOrder),
             u"t.category DESC NULLS LAST"_s);
}

void TestSqlDialect::postgresConnectOptionsKeepTheConfigs()
{
    const PostgresDialect dialect;
    DatabaseConfig config;
    config.driver = u"QPSQL"_s;
    QCOMPARE(dialect.connectOptions(config), u"connect_timeout=10;keepalives=1;keepalives_idle=30;"
                                             "application_name=support-console"_s);
    config.connectOptions = u" connect_timeout=3 ; sslmode=require;"_s;
    QCOMPARE(dialect.connectOptions(config),
             u"connect_timeout=3;sslmode=require;keepalives=1;keepalives_idle=30;"
             "application_name=support-console"_s);
}

void TestSqlDialect::postgresHasNoPollingOrFastReader()
{
    const PostgresDialect dialect;
    QSqlDatabase none;
    StatementCache statements(none);
    QVERIFY(!dialect.writeVersion(statements));
    QVERIFY(!dialect.createTicketReader(none));
}

QTEST_GUILESS_MAIN(TestSqlDialect)
#include "tst_sqldialect.moc"
