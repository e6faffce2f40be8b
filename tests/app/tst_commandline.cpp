#include "commandline.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaults();
    void importOptions();
    void evaluateOptions();
    void trainOptions();
    void modelsActions();
    void databaseFromEnvironment();
    void postgresUri();
    void passwordOnCommandLineWarns();
    void tlsOptions();
    void signInUser();
    void errors_data();
    void errors();

private:
    static std::variant<CommandLine, QString> parse(QStringList arguments)
    {
        arguments.prepend(u"support-console"_s);
        return CommandLine::parse(arguments);
    }
};

void TestCommandLine::initTestCase()
{
    qunsetenv("SUPPORT_CONSOLE_DATABASE");
}

void TestCommandLine::defaults()
{
    const auto parsed = parse({});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    QCOMPARE(commandLine.command, CommandLine::Command::Console);
    QCOMPARE(commandLine.port, 8080);
    QCOMPARE(commandLine.bindAddress, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(commandLine.database.databaseName.endsWith(u"support-console.db"_s));
    QCOMPARE(commandLine.database.driver, u"QSQLITE"_s);

    const auto headless = parse({u"--headless"_s, u"--port"_s, u"0"_s, u"--bind"_s, u"::1"_s});
    QCOMPARE(std::get<CommandLine>(headless).command, CommandLine::Command::Headless);
    QCOMPARE(std::get<CommandLine>(headless).port, 0);
    QCOMPARE(std::get<CommandLine>(headless).bindAddress,
             QHostAddress(QHostAddress::LocalHostIPv6));
}

void TestCommandLine::importOptions()
{
    const auto parsed =
        parse({u"import"_s, u"tickets.csv"_s, u"--language"_s, u"ALL"_s, u"--limit"_s, u"100"_s,
               u"--spread-days"_s, u"0"_s, u"--database"_s, u"/tmp/x.db"_s});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    QCOMPARE(commandLine.command, CommandLine::Command::Import);
    QCOMPARE(commandLine.importFile, u"tickets.csv"_s);
    QVERIFY(commandLine.importLanguage.isEmpty());
    QCOMPARE(commandLine.importLimit, 100);
    QCOMPARE(commandLine.importSpreadDays, 0);
    QCOMPARE(commandLine.database.databaseName, u"/tmp/x.db"_s);

    const auto defaults = parse({u"import"_s, u"t.csv"_s});
    QCOMPARE(std::get<CommandLine>(defaults).importLanguage, u"en"_s);
    QCOMPARE(std::get<CommandLine>(defaults).importSpreadDays, 30);
    QVERIFY(!std::get<CommandLine>(defaults).importLimit);
}

void TestCommandLine::evaluateOptions()
{
    const auto parsed =
        parse({u"evaluate"_s, u"labelled.csv"_s, u"--json"_s, u"--language"_s, u"all"_s});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    QCOMPARE(commandLine.command, CommandLine::Command::Evaluate);
    QCOMPARE(commandLine.importFile, u"labelled.csv"_s);
    QVERIFY(commandLine.evaluateJson);
    QVERIFY(commandLine.evaluateProvider.isEmpty());
    QVERIFY(commandLine.importLanguage.isEmpty());
    QCOMPARE(std::get<CommandLine>(parse({u"evaluate"_s, u"a.csv"_s, u"--provider"_s, u"x"_s}))
                 .evaluateProvider,
             u"x"_s);
}

void TestCommandLine::trainOptions()
{
    const auto parsed = parse({u"train"_s, u"--database"_s, u"/tmp/t.db"_s, u"--json"_s});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    QCOMPARE(commandLine.command, CommandLine::Command::Train);
    QCOMPARE(commandLine.database.databaseName, u"/tmp/t.db"_s);
    QVERIFY(commandLine.evaluateJson);

    const auto evaluate = parse({u"evaluate"_s, u"a.csv"_s, u"--provider"_s, u"fasttext"_s,
                                 u"--model"_s, u"/tmp/m.json"_s});
    QVERIFY(std::holds_alternative<CommandLine>(evaluate));
    QCOMPARE(std::get<CommandLine>(evaluate).modelPath, u"/tmp/m.json"_s);
    QCOMPARE(std::get<CommandLine>(evaluate).evaluateProvider, u"fasttext"_s);
}

void TestCommandLine::databaseFromEnvironment()
{
    qputenv("SUPPORT_CONSOLE_DATABASE", "/tmp/from-env.db");
    const auto fromEnvironment = parse({});
    const auto fromOption = parse({u"--database"_s, u"/tmp/option.db"_s});
    qunsetenv("SUPPORT_CONSOLE_DATABASE");
    QCOMPARE(std::get<CommandLine>(fromEnvironment).database.databaseName, u"/tmp/from-env.db"_s);
    QCOMPARE(std::get<CommandLine>(fromOption).database.databaseName, u"/tmp/option.db"_s);
}

void TestCommandLine::postgresUri()
{
    const auto parsed =
        parse({u"--database"_s, u"postgresql://agent@db.example:6543/tickets?sslmode=require"_s});
    QVERIFY2(
        std::holds_alternative<CommandLine>(parsed),
        qPrintable(std::get_if<QString>(&parsed) ? *std::get_if<QString>(&parsed) : QString()));
    const DatabaseConfig &config = std::get<CommandLine>(parsed).database;
    QCOMPARE(config.driver, u"QPSQL"_s);
    QCOMPARE(config.driver, u"QPSQL"_s);
    QCOMPARE(config.host, u"db.example"_s);
    QCOMPARE(config.port, 6543);
    QCOMPARE(config.userName, u"agent"_s);
    QVERIFY(config.password.isEmpty());
    QCOMPARE(config.databaseName, u"tickets"_s);
    QCOMPARE(config.connectOptions, u"sslmode='require'"_s);

    qputenv("SUPPORT_CONSOLE_DATABASE", "host=/var/run/postgresql dbname=support");
    const auto fromEnvironment = parse({});
    qputenv("SUPPORT_CONSOLE_DATABASE", "postgresql://db.example:http/tickets");
    const auto badEnvironment = parse({});
    qunsetenv("SUPPORT_CONSOLE_DATABASE");
    QVERIFY(std::holds_alternative<CommandLine>(fromEnvironment));
    QCOMPARE(std::get<CommandLine>(fromEnvironment).database.host, u"/var/run/postgresql"_s);
    QCOMPARE(std::get<CommandLine>(fromEnvironment).database.databaseName, u"support"_s);
    QVERIFY(std::holds_alternative<QString>(badEnvironment));
    QVERIFY2(std::get<QString>(badEnvironment).contains(u"SUPPORT_CONSOLE_DATABASE"_s),
             qPrintable(std::get<QString>(badEnvironment)));
}

void TestCommandLine::passwordOnCommandLineWarns()
{
    const QRegularExpression warning(u"process list.*PGPASSWORD"_s);
    QTest::ignoreMessage(QtWarningMsg, warning);
    const auto withPassword = parse({u"--database"_s, u"postgresql://agent:s3cret@db/tickets"_s});
    QVERIFY(std::holds_alternative<CommandLine>(withPassword));
    QCOMPARE(std::get<CommandLine>(withPassword).database.password, u"s3cret"_s);

    // The environment is not in the process list, and a URI without a password needs no advice.
    QTest::failOnWarning(warning);
    qputenv("SUPPORT_CONSOLE_DATABASE", "postgresql://agent:s3cret@db/tickets");
    const auto fromEnvironment = parse({});
    qunsetenv("SUPPORT_CONSOLE_DATABASE");
    QVERIFY(std::holds_alternative<CommandLine>(fromEnvironment));
    QVERIFY(std::holds_alternative<CommandLine>(
        parse({u"--database"_s, u"postgresql://agent@db/tickets"_s})));
}

void TestCommandLine::tlsOptions()
{
    const auto parsed = parse({u"--headless"_s, u"--bind"_s, u"0.0.0.0"_s, u"--tls-cert"_s,
                               u"/etc/sc/cert.pem"_s, u"--tls-key"_s, u"/etc/sc/key.pem"_s});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    QCOMPARE(commandLine.command, CommandLine::Command::Headless);
    QCOMPARE(commandLine.tls.certificatePath, u"/etc/sc/cert.pem"_s);
    QCOMPARE(commandLine.tls.keyPath, u"/etc/sc/key.pem"_s);
    QVERIFY(!commandLine.allowInsecureHttp);

    const auto defaults = parse({u"--headless"_s});
    QVERIFY(!std::get<CommandLine>(defaults).tls.isEnabled());
    QVERIFY(!std::get<CommandLine>(defaults).allowInsecureHttp);

    const auto insecure = parse({u"--headless"_s, u"--bind"_s, u"0.0.0.0"_s, u"--insecure-http"_s});
    QVERIFY(std::holds_alternative<CommandLine>(insecure));
    QVERIFY(std::get<CommandLine>(insecure).allowInsecureHttp);
}

// The window alone signs in; the password is never an option.
void TestCommandLine::signInUser()
{
    QVERIFY(std::get<CommandLine>(parse({})).signInUser.isEmpty());
    const auto parsed = parse({u"--user"_s, u"alice"_s, u"--port"_s, u"0"_s});
    QVERIFY(std::holds_alternative<CommandLine>(parsed));
    QCOMPARE(std::get<CommandLine>(parsed).command, CommandLine::Command::Console);
    QCOMPARE(std::get<CommandLine>(parsed).signInUser, u"alice"_s);
}

void TestCommandLine::modelsActions()
{
    const auto activate = parse({u"models"_s, u"activate"_s, u"12"_s});
    QVERIFY(std::holds_alternative<CommandLine>(activate));
    QCOMPARE(std::get<CommandLine>(activate).command, CommandLine::Command::Models);
    QCOMPARE(std::get<CommandLine>(activate).adminAction, u"activate"_s);
    QCOMPARE(std::get<CommandLine>(activate).adminName, u"12"_s);
    for (const QString &action : {u"list"_s, u"pin"_s, u"unpin"_s}) {
        const auto parsed = parse({u"models"_s, action});
        QVERIFY(std::holds_alternative<CommandLine>(parsed));
        QCOMPARE(std::get<CommandLine>(parsed).adminAction, action);
    }
}

void TestCommandLine::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("port too big") << QStringList{u"--port"_s, u"70000"_s} << u"--port"_s;
    QTest::newRow("port not a number") << QStringList{u"--port"_s, u"http"_s} << u"--port"_s;
    QTest::newRow("bad bind") << QStringList{u"--bind"_s, u"example.com"_s} << u"--bind"_s;
    QTest::newRow("certificate without key")
        << QStringList{u"--headless"_s, u"--tls-cert"_s, u"c.pem"_s} << u"--tls-key"_s;
    QTest::newRow("key without certificate")
        << QStringList{u"--headless"_s, u"--tls-key"_s, u"k.pem"_s} << u"--tls-cert"_s;
    QTest::newRow("empty certificate name")
        << QStringList{u"--tls-cert="_s, u"--tls-key"_s, u"k.pem"_s} << u"--tls-cert"_s;
    QTest::newRow("plain HTTP allowed beside TLS")
        << QStringList{u"--tls-cert"_s, u"c.pem"_s, u"--tls-key"_s, u"k.pem"_s,
                       u"--insecure-http"_s}
        << u"--insecure-http"_s;
    QTest::newRow("unknown command") << QStringList{u"serve"_s} << u"serve"_s;
    QTest::newRow("models without action") << QStringList{u"models"_s} << u"activate"_s;
    QTest::newRow("learning curve of a file")
        << QStringList{u"evaluate"_s, u"a.csv"_s, u"--learning-curve"_s} << u"not a file"_s;
    QTest::newRow("learning curve of a provider")
        << QStringList{u"evaluate"_s, u"--learning-curve"_s, u"--provider"_s, u"rules"_s}
        << u"--provider"_s;
    QTest::newRow("learning curve outside evaluate")
        << QStringList{u"train"_s, u"--learning-curve"_s} << u"--learning-curve"_s;
    QTest::newRow("models activate without id")
        << QStringList{u"models"_s, u"activate"_s} << u"models list"_s;
    QTest::newRow("models activate with a name")
        << QStringList{u"models"_s, u"activate"_s, u"latest"_s} << u"models list"_s;
    QTest::newRow("models pin with an id")
        << QStringList{u"models"_s, u"pin"_s, u"3"_s} << u"pin"_s;
    QTest::newRow("unknown option") << QStringList{u"--colour"_s} << u"colour"_s;
    QTest::newRow("import without file") << QStringList{u"import"_s} << u"import"_s;
    QTest::newRow("import with two files")
        << QStringList{u"import"_s, u"a.csv"_s, u"b.csv"_s} << u"import"_s;
    QTest::newRow("limit zero") << QStringList{u"import"_s, u"a.csv"_s, u"--limit"_s, u"0"_s}
                                << u"--limit"_s;
    QTest::newRow("negative spread")
        << QStringList{u"import"_s, u"a.csv"_s, u"--spread-days"_s, u"-1"_s} << u"--spread-days"_s;
    QTest::newRow("import option without import")
        << QStringList{u"--limit"_s, u"5"_s} << u"limit"_s;
    QTest::newRow("evaluate option without evaluate") << QStringList{u"--json"_s} << u"json"_s;
    QTest::newRow("evaluate option on import")
        << QStringList{u"import"_s, u"a.csv"_s, u"--provider"_s, u"rules"_s} << u"provider"_s;
    QTest::newRow("limit on evaluate")
        << QStringList{u"evaluate"_s, u"a.csv"_s, u"--limit"_s, u"5"_s} << u"limit"_s;
    QTest::newRow("evaluate without file") << QStringList{u"evaluate"_s} << u"evaluate"_s;
    QTest::newRow("train with a file") << QStringList{u"train"_s, u"a.csv"_s} << u"train"_s;
    QTest::newRow("provider on train")
        << QStringList{u"train"_s, u"--provider"_s, u"rules"_s} << u"provider"_s;
    QTest::newRow("model on train")
        << QStringList{u"train"_s, u"--model"_s, u"m.json"_s} << u"model"_s;
    QTest::newRow("json on import")
        << QStringList{u"import"_s, u"a.csv"_s, u"--json"_s} << u"json"_s;
    QTest::newRow("bad database port")
        << QStringList{u"--database"_s, u"postgresql://u:secret@db:99999/tickets"_s}
        << u"--database"_s;
    QTest::newRow("unknown database option")
        << QStringList{u"--database"_s, u"postgresql://db/tickets?colour=blue"_s} << u"colour"_s;
    QTest::newRow("user on headless")
        << QStringList{u"--headless"_s, u"--user"_s, u"alice"_s} << u"--user"_s;
    QTest::newRow("user on users")
        << QStringList{u"users"_s, u"list"_s, u"--user"_s, u"alice"_s} << u"--user"_s;
    QTest::newRow("blank user") << QStringList{u"--user"_s, u" "_s} << u"--user"_s;
    QTest::newRow("password option") << QStringList{u"--password"_s, u"x"_s} << u"password"_s;
    QTest::newRow("language on train")
        << QStringList{u"train"_s, u"--language"_s, u"de"_s} << u"language"_s;
}

void TestCommandLine::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const auto parsed = parse(arguments);
    QVERIFY(std::holds_alternative<QString>(parsed));
    QVERIFY2(std::get<QString>(parsed).contains(mentions), qPrintable(std::get<QString>(parsed)));
    QVERIFY(!std::get<QString>(parsed).contains(u"secret"_s));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
