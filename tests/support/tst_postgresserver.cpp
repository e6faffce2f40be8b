#include "postgresserver.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestPostgresServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void databasesAreUtf8();
    void databasesAreIsolated();
    void droppedDatabaseIsGone();
    void ownServerStopsAndLeavesNothing();
    void missingServerSaysWhere();

private:
    // A QPSQL connection through the socket folder, as the program will make one.
    QSqlDatabase connect(const QString &socketDirectory, const QString &databaseName)
    {
        const QString name = u"test_%1"_s.arg(m_connections.size());
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(socketDirectory);
        db.setUserName(PostgresServer::userName());
        db.setDatabaseName(databaseName);
        m_connections.append(name);
        return db;
    }
    static QVariant scalar(QSqlDatabase db, const QString &sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

    QStringList m_connections;
};

void TestPostgresServer::initTestCase()
{
    QVERIFY2(PostgresServer::shared().isRunning(),
             qPrintable(PostgresServer::shared().errorString()));
}

void TestPostgresServer::cleanup()
{
    for (const QString &name : std::as_const(m_connections)) {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
    m_connections.clear();
}

void TestPostgresServer::databasesAreUtf8()
{
    const PostgresServer &server = PostgresServer::shared();
    QString error;
    const QString name = server.createDatabase(&error);
    QVERIFY2(!name.isEmpty(), qPrintable(error));
    {
        QSqlDatabase db = connect(server.socketDirectory(), name);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QCOMPARE(scalar(db, u"SHOW server_encoding"_s).toString(), u"UTF8"_s);
        QCOMPARE(scalar(db, u"SELECT pg_encoding_to_char(encoding) FROM pg_database "
                            "WHERE datname = current_database()"_s)
                     .toString(),
                 u"UTF8"_s);

        QSqlQuery query(db);
        QVERIFY2(query.exec(u"CREATE TABLE words (word text NOT NULL)"_s),
                 qPrintable(query.lastError().text()));
        QVERIFY(query.prepare(u"INSERT INTO words (word) VALUES (?)"_s));
        query.addBindValue(u"Über"_s);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        QCOMPARE(scalar(db, u"SELECT word FROM words"_s).toString(), u"Über"_s);
        QCOMPARE(scalar(db, u"SELECT length(word) FROM words"_s).toInt(), 4);
    }
    cleanup();
    QVERIFY2(server.dropDatabase(name, &error), qPrintable(error));
}

void TestPostgresServer::databasesAreIsolated()
{
    const PostgresServer &server = PostgresServer::shared();
    QString error;
    const QString first = server.createDatabase(&error);
    QVERIFY2(!first.isEmpty(), qPrintable(error));
    const QString second = server.createDatabase(&error);
    QVERIFY2(!second.isEmpty(), qPrintable(error));
    QVERIFY(first != second);
    {
        QSqlDatabase a = connect(server.socketDirectory(), first);
        QSqlDatabase b = connect(server.socketDirectory(), second);
        QVERIFY2(a.open(), qPrintable(a.lastError().text()));
        QVERIFY2(b.open(), qPrintable(b.lastError().text()));
        QSqlQuery query(a);
        QVERIFY2(query.exec(u"CREATE TABLE tickets (id integer)"_s),
                 qPrintable(query.lastError().text()));
        QVERIFY(query.exec(u"INSERT INTO tickets VALUES (1)"_s));
        QCOMPARE(scalar(a, u"SELECT count(*) FROM tickets"_s).toInt(), 1);
        QVERIFY(b.tables().isEmpty());
        QSqlQuery other(b);
        QVERIFY(!other.exec(u"SELECT count(*) FROM tickets"_s));
        // Neither sees the other's database open: a test may drop its own while others run.
        QCOMPARE(scalar(a, u"SELECT current_database()"_s).toString(), first);
        QCOMPARE(scalar(b, u"SELECT current_database()"_s).toString(), second);
    }
    // Dropping with a connection still open works: storage threads may outlive a test's check.
    QVERIFY2(server.dropDatabase(first, &error), qPrintable(error));
    QVERIFY2(server.dropDatabase(second, &error), qPrintable(error));
}

void TestPostgresServer::droppedDatabaseIsGone()
{
    const PostgresServer &server = PostgresServer::shared();
    QString error;
    const QString name = server.createDatabase(&error);
    QVERIFY2(!name.isEmpty(), qPrintable(error));
    QVERIFY2(server.dropDatabase(name, &error), qPrintable(error));
    QSqlDatabase db = connect(server.socketDirectory(), name);
    QVERIFY(!db.open());
    QVERIFY2(db.lastError().text().contains(name), qPrintable(db.lastError().text()));
}

void TestPostgresServer::ownServerStopsAndLeavesNothing()
{
    QString socketDirectory;
    {
        const PostgresServer server;
        QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
        socketDirectory = server.socketDirectory();
        QVERIFY(socketDirectory != PostgresServer::shared().socketDirectory());
        QString error;
        const QString name = server.createDatabase(&error);
        QVERIFY2(!name.isEmpty(), qPrintable(error));
        {
            QSqlDatabase db = connect(socketDirectory, name);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QCOMPARE(scalar(db, u"SHOW listen_addresses"_s).toString(), QString());
            QCOMPARE(scalar(db, u"SHOW fsync"_s).toString(), u"off"_s);
        }
        cleanup();
    }
    QVERIFY(!QFileInfo::exists(socketDirectory));
}

void TestPostgresServer::missingServerSaysWhere()
{
    const QString nowhere = QDir::temp().filePath(u"sc-no-such-postgres"_s);
    const PostgresServer server(nowhere);
    QVERIFY(!server.isRunning());
    QVERIFY2(server.errorString().contains(nowhere), qPrintable(server.errorString()));
    QString error;
    QVERIFY(server.createDatabase(&error).isEmpty());
    QCOMPARE(error, server.errorString());
}

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgresserver.moc"
