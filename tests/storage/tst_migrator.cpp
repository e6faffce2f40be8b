#include "migrator.h"
#include "storageerror.h"
#include "temporarydatabase.h"

#include <QSqlQuery>
#include <QTest>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

class TestMigrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshDatabaseGetsEveryMigration();
    void migratingTwiceChangesNothing();
    void newerDatabaseIsRefused();
    void missingMigrationIsRefused();
    void manyMigratorsAtOnceApplyEachMigrationOnce();
    void failingMigrationLeavesNothingBehind();

private:
    static int count(QSqlDatabase db, const QString &sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            return -1;
        return query.value(0).toInt();
    }
};

void TestMigrator::freshDatabaseGetsEveryMigration()
{
    TemporaryDatabase temporary;
    QSqlDatabase db = temporary.database().connection();
    Migrator migrator(temporary.database());
    QVERIFY(migrator.latestKnownVersion() >= 1);
    QCOMPARE(migrator.currentVersion(), migrator.latestKnownVersion());
    const QString tableCount =
        temporary.isPostgres()
            ? u"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_type = 'BASE TABLE' AND table_name = '%1'"_s
            : u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'"_s;
    for (const QString &table : {u"tickets"_s, u"classifications"_s, u"imported_tickets"_s,
                                 u"idempotency_keys"_s, u"ticket_counts"_s}) {
        QCOMPARE(count(db, tableCount.arg(table)), 1);
    }
    if (temporary.isPostgres())
        return; // the rest checks SQLite's connection pragmas
    QCOMPARE(count(db, u"PRAGMA foreign_keys"_s), 1);
    QSqlQuery journal(db);
    QVERIFY(journal.exec(u"PRAGMA journal_mode"_s) && journal.next());
    QCOMPARE(journal.value(0).toString(), u"wal"_s);
}

void TestMigrator::migratingTwiceChangesNothing()
{
    TemporaryDatabase temporary;
    QSqlDatabase db = temporary.database().connection();
    const int rows = count(db, u"SELECT COUNT(*) FROM schema_migrations"_s);
    temporary.database().migrate();
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM schema_migrations"_s), rows);
}

void TestMigrator::newerDatabaseIsRefused()
{
    TemporaryDatabase temporary;
    QSqlDatabase db = temporary.database().connection();
    QSqlQuery query(db);
    QVERIFY(query.exec(
        u"INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"_s));
    try {
        temporary.database().migrate();
        QFAIL("a newer schema must not be accepted");
    } catch (const StorageError &error) {
        QVERIFY2(error.message().contains(u"newer"_s), qPrintable(error.message()));
    }
    // Nothing was downgraded or removed.
    QCOMPARE(count(db, u"SELECT MAX(version) FROM schema_migrations"_s), 9999);
}

void TestMigrator::missingMigrationIsRefused()
{
    TemporaryDatabase temporary;
    const int latest = Migrator(temporary.database()).latestKnownVersion();
    QVERIFY(latest >= 2);
    const int missing = latest - 1;
    QSqlDatabase db = temporary.database().connection();
    QSqlQuery query(db);
    QVERIFY(query.exec(u"DELETE FROM schema_migrations WHERE version = %1"_s.arg(missing)));
    const int rows = count(db, u"SELECT COUNT(*) FROM schema_migrations"_s);
    try {
        temporary.database().migrate();
        QFAIL("a database that skipped a migration must not be accepted");
    } catch (const StorageError &error) {
        QVERIFY2(error.message().contains(u"lacks migration %1 "_s.arg(missing)),
                 qPrintable(error.message()));
    }
    // Nothing was applied again on top.
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM schema_migrations"_s), rows);
}

// Nodes starting together on a new database: each thread has its own Database object and so its
// own connection and write mutex, as separate processes would.
void TestMigrator::manyMigratorsAtOnceApplyEachMigrationOnce()
{
    TemporaryDatabase temporary(TemporaryDatabase::Schema::Empty);
    const DatabaseConfig config = temporary.database().config();
    // A process loads its driver plugin once, before its threads connect; without this, run
    // alone, this function would have eight threads load it at once.
    QSqlDatabase::addDatabase(config.driver, u"driver"_s);
    QSqlDatabase::removeDatabase(u"driver"_s);
    constexpr int kMigrators = 8;
    std::array<QString, kMigrators> errors;
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&, i] {
            const Database database(config);
            ++ready;
            while (ready.load() < kMigrators)
                std::this_thread::yield();
            try {
                database.migrate();
            } catch (const StorageError &error) {
                errors.at(std::size_t(i)) = error.message();
            }
            database.closeThreadConnection();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (const QString &error : errors)
        QVERIFY2(error.isEmpty(), qPrintable(error));

    QSqlDatabase db = temporary.database().connection();
    const Migrator migrator(temporary.database());
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM schema_migrations"_s),
             int(count(db, u"SELECT COUNT(DISTINCT version) FROM schema_migrations"_s)));
    QCOMPARE(count(db, u"SELECT MAX(version) FROM schema_migrations"_s),
             migrator.latestKnownVersion());
    // Each version this program has, once: compare against a migration run on a database of
    // its own, which nothing else touched.
    TemporaryDatabase reference;
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM schema_migrations"_s),
             count(reference.database().connection(), u"SELECT COUNT(*) FROM schema_migrations"_s));
}

void TestMigrator::failingMigrationLeavesNothingBehind()
{
    QTemporaryDir scripts;
    QVERIFY(QDir(scripts.path()).mkpath(u"sqlite"_s));
    auto write = [&](const QString &name, const QByteArray &sql) {
        QFile file(scripts.filePath(u"sqlite/"_s + name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(sql);
    };
    write(u"0001_first.sql"_s, "CREATE TABLE first (x INTEGER);");
    write(u"0002_broken.sql"_s, "CREATE TABLE second (x INTEGER);\nTHIS IS NOT SQL;");

    QTemporaryDir dataDir;
    Database database(DatabaseConfig::sqlite(dataDir.filePath(u"m.db"_s)));
    QSqlDatabase db = database.connection();
    Migrator migrator(database, scripts.path());
    QVERIFY_THROWS_EXCEPTION(StorageError, migrator.migrate());
    QCOMPARE(migrator.currentVersion(), 1);
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'first'"_s), 1);
    QCOMPARE(count(db, u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'second'"_s), 0);
    database.closeThreadConnection();
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
