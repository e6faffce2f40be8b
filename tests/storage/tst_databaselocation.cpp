#include "databaselocation.h"
#include "postgresserver.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

class TestDatabaseLocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void errors_data();
    void errors();
    void redacted_data();
    void redacted();
    void containsPassword_data();
    void containsPassword();
    void optionsReachTheServer();
};

void TestDatabaseLocation::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("databaseName");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("userName");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("connectOptions");

    const QString sqlite = u"QSQLITE"_s;
    const QString postgres = u"QPSQL"_s;
    QTest::newRow("relative path") << u"tickets.db"_s << sqlite << u"tickets.db"_s << QString()
                                   << -1 << QString() << QString() << QString();
    QTest::newRow("absolute path")
        << u"/var/lib/sc/tickets.db"_s << sqlite << u"/var/lib/sc/tickets.db"_s << QString() << -1
        << QString() << QString() << QString();
    QTest::newRow("path with spaces")
        << u"/home/a b/My Tickets.db"_s << sqlite << u"/home/a b/My Tickets.db"_s << QString() << -1
        << QString() << QString() << QString();
    QTest::newRow("path with = after ./") << u"./a=b.db"_s << sqlite << u"./a=b.db"_s << QString()
                                          << -1 << QString() << QString() << QString();
    QTest::newRow("full URI") << u"postgresql://u:p@db.example:6543/tickets?sslmode=require&"
                                 "connect_timeout=5"_s
                              << postgres << u"tickets"_s << u"db.example"_s << 6543 << u"u"_s
                              << u"p"_s << u"connect_timeout='5';sslmode='require'"_s;
    QTest::newRow("socket folder in query")
        << u"postgresql:///tickets?host=/var/run/postgresql"_s << postgres << u"tickets"_s
        << u"/var/run/postgresql"_s << -1 << QString() << QString() << QString();
    QTest::newRow("socket folder percent-encoded")
        << u"postgresql://%2Fvar%2Frun%2Fpostgresql/tickets"_s << postgres << u"tickets"_s
        << u"/var/run/postgresql"_s << -1 << QString() << QString() << QString();
    QTest::newRow("postgres:// alias")
        << u"postgres://agent@localhost/support"_s << postgres << u"support"_s << u"localhost"_s
        << -1 << u"agent"_s << QString() << QString();
    QTest::newRow("IPv6 host") << u"postgresql://[::1]:5433/db"_s << postgres << u"db"_s << u"::1"_s
                               << 5433 << QString() << QString() << QString();
    QTest::newRow("only the scheme") << u"postgresql://"_s << postgres << QString() << QString()
                                     << -1 << QString() << QString() << QString();
    QTest::newRow("keyword/value")
        << u"host=/tmp dbname=x user=me application_name='Support Console'"_s << postgres << u"x"_s
        << u"/tmp"_s << -1 << u"me"_s << QString() << u"application_name='Support Console'"_s;
    QTest::newRow("keyword/value with spaces around =")
        << u"  dbname = x port=5433"_s << postgres << u"x"_s << QString() << 5433 << QString()
        << QString() << QString();
    QTest::newRow("percent-encoded password")
        << u"postgresql://u:p%40ss%3Aw%2Frd@h/db"_s << postgres << u"db"_s << u"h"_s << -1 << u"u"_s
        << u"p@ss:w/rd"_s << QString();
    QTest::newRow("quote and backslash in an option")
        << u"postgresql:///db?application_name=it's%5Cx"_s << postgres << u"db"_s << QString() << -1
        << QString() << QString() << u"application_name='it\\'s\\\\x'"_s;
}

void TestDatabaseLocation::parse()
{
    QFETCH(QString, text);
    const auto parsed = DatabaseLocation::parse(text);
    QVERIFY2(std::holds_alternative<DatabaseConfig>(parsed),
             qPrintable(std::get_if<QString>(&parsed) ? *std::get_if<QString>(&parsed) : text));
    const DatabaseConfig &config = std::get<DatabaseConfig>(parsed);
    QTEST(config.driver, "driver");
    QTEST(config.databaseName, "databaseName");
    QTEST(config.host, "host");
    QTEST(config.port, "port");
    QTEST(config.userName, "userName");
    QTEST(config.password, "password");
    QTEST(config.connectOptions, "connectOptions");
    QCOMPARE(DatabaseLocation::isConnectionString(text), config.driver == u"QPSQL"_s);
}

void TestDatabaseLocation::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("empty") << u"  "_s << u"empty"_s;
    QTest::newRow("port not a number") << u"postgresql://u:secret@h:abc/db"_s << u"port"_s;
    QTest::newRow("port zero") << u"postgresql://h:0/db"_s << u"port"_s;
    QTest::newRow("port too big") << u"host=h port=70000 password=secret"_s << u"port"_s;
    QTest::newRow("two ports") << u"postgresql://a:1,b:2/db"_s << u"port"_s;
    QTest::newRow("unknown URI option")
        << u"postgresql://u:secret@h/db?colour=blue"_s << u"colour"_s;
    QTest::newRow("unknown keyword") << u"host=/tmp colour=blue password=secret"_s << u"colour"_s;
    QTest::newRow("unterminated quote") << u"host='/tmp dbname=x password=secret"_s << u"libpq"_s;
    QTest::newRow("garbage after keyword") << u"host=/tmp garbage"_s << u"libpq"_s;
    QTest::newRow("query without value") << u"postgresql:///db?sslmode"_s << u"libpq"_s;
    QTest::newRow("semicolon in option")
        << u"postgresql:///db?application_name=a;b"_s << u"application_name"_s;
}

void TestDatabaseLocation::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    const auto parsed = DatabaseLocation::parse(text);
    QVERIFY(std::holds_alternative<QString>(parsed));
    const QString error = std::get<QString>(parsed);
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY2(!error.contains(u"secret"_s), qPrintable(error));
}

void TestDatabaseLocation::redacted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");

    QTest::newRow("SQLite") << u"/home/a b/tickets.db"_s << u"/home/a b/tickets.db"_s;
    QTest::newRow("URI with password")
        << u"postgresql://u:secret@db.example:6543/tickets?sslmode=require"_s
        << u"postgresql://u:***@db.example:6543/tickets?sslmode=require"_s;
    QTest::newRow("percent-encoded password")
        << u"postgresql://u:s%40cret@h/db"_s << u"postgresql://u:***@h/db"_s;
    QTest::newRow("socket folder") << u"postgresql:///tickets?host=/var/run/postgresql"_s
                                   << u"postgresql:///tickets?host=%2Fvar%2Frun%2Fpostgresql"_s;
    QTest::newRow("keyword/value with secrets")
        << u"host=/tmp port=5433 dbname=x user=me password=secret sslpassword=secret2"_s
        << u"postgresql://me:***@/x?host=%2Ftmp&port=5433&sslpassword=***"_s;
    QTest::newRow("IPv6") << u"postgresql://[::1]:5433/db"_s << u"postgresql://[::1]:5433/db"_s;
    QTest::newRow("option with spaces") << u"dbname=x application_name='Support Console'"_s
                                        << u"postgresql:///x?application_name=Support%20Console"_s;
}

void TestDatabaseLocation::redacted()
{
    QFETCH(QString, text);
    const auto parsed = DatabaseLocation::parse(text);
    QVERIFY(std::holds_alternative<DatabaseConfig>(parsed));
    const DatabaseConfig &config = std::get<DatabaseConfig>(parsed);
    const QString shown = DatabaseLocation::redacted(config);
    QTEST(shown, "redacted");
    QVERIFY(!shown.contains(u"secret"_s));
    QVERIFY(!shown.contains(u"s%40cret"_s));

    // Without a password the display form is itself a location that means the same.
    if (config.password.isEmpty() && !shown.contains(u"***"_s)) {
        const auto again = DatabaseLocation::parse(shown);
        QVERIFY(std::holds_alternative<DatabaseConfig>(again));
        const DatabaseConfig &same = std::get<DatabaseConfig>(again);
        QCOMPARE(same.driver, config.driver);
        QCOMPARE(same.databaseName, config.databaseName);
        QCOMPARE(same.host, config.host);
        QCOMPARE(same.port, config.port);
        QCOMPARE(same.userName, config.userName);
        QCOMPARE(same.connectOptions, config.connectOptions);
    }
}

void TestDatabaseLocation::containsPassword_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("containsPassword");

    QTest::newRow("SQLite path") << u"/tmp/password=x.db"_s << false;
    QTest::newRow("URI without password") << u"postgresql://u@h/db"_s << false;
    QTest::newRow("URI with password") << u"postgresql://u:p@h/db"_s << true;
    QTest::newRow("URI with empty password") << u"postgresql://u:@h/db"_s << false;
    QTest::newRow("password in the query") << u"postgresql://h/db?password=p"_s << true;
    QTest::newRow("keyword/value") << u"dbname=x password=p"_s << true;
    QTest::newRow("ssl key password") << u"dbname=x sslpassword=p"_s << true;
    QTest::newRow("unparsable") << u"postgresql://h/db?colour=blue&password=p"_s << false;
}

void TestDatabaseLocation::containsPassword()
{
    QFETCH(QString, text);
    QTEST(DatabaseLocation::containsPassword(text), "containsPassword");
}

void TestDatabaseLocation::optionsReachTheServer()
{
    // QPSQL pastes the connect options into its own connection string; quoting must survive it.
    const PostgresServer &server = PostgresServer::shared();
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QString error;
    const QString name = server.createDatabase(&error);
    QVERIFY2(!name.isEmpty(), qPrintable(error));
    // Concatenated, not arg(): the percent-encoding is full of what arg() takes for markers.
    const QString uri = u"postgresql://"_s + PostgresServer::userName() + u"@/"_s + name +
                        u"?host="_s +
                        QString::fromLatin1(QUrl::toPercentEncoding(server.socketDirectory())) +
                        u"&application_name=Support%20Console%20it's"_s +
                        u"&options=-c%20statement_timeout%3D1234"_s;
    const auto parsed = DatabaseLocation::parse(uri);
    QVERIFY(std::holds_alternative<DatabaseConfig>(parsed));
    const DatabaseConfig &config = std::get<DatabaseConfig>(parsed);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(config.driver, u"location"_s);
        db.setHostName(config.host);
        db.setUserName(config.userName);
        db.setDatabaseName(config.databaseName);
        db.setConnectOptions(config.connectOptions);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SHOW application_name"_s) && query.next());
        QCOMPARE(query.value(0).toString(), u"Support Console it's"_s);
        QVERIFY(query.exec(u"SHOW statement_timeout"_s) && query.next());
        QCOMPARE(query.value(0).toString(), u"1234ms"_s);
        QVERIFY(query.exec(u"SELECT current_database()"_s) && query.next());
        QCOMPARE(query.value(0).toString(), name);
    }
    QSqlDatabase::removeDatabase(u"location"_s);
    QVERIFY2(server.dropDatabase(name, &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestDatabaseLocation)
#include "tst_databaselocation.moc"
