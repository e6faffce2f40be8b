#include "fakellmserver.h"
#include "httpclient.h"
#include "rawexchange.h"
#include "settingskeys.h"
#include "testcertificate.h"
#include "trainingfixture.h"
#include "webhookreceiver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class TestSupportConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void versionAndHelp();
    void usageErrorsExitWithTwo();
    void importReportsAndIsRepeatable();
    void importOfMissingFileFails();
    void evaluateReportsQuality();
    void evaluateRemoteProvider();
    void trainKeepsAModelThatEvaluateUses();
    void trainWithTooFewTicketsFails();
    void modelsAreListedRolledBackAndPinned();
    void version03ModelFilesAreImportedOnUpgrade();
    void headlessServesAndStopsOnSignal_data();
    void headlessServesAndStopsOnSignal();
    void acknowledgedTicketsSurviveKill9();
    void pendingClassificationsFinishAfterAKill();
    void webhooksDeliverEveryCommittedChangeAfterAKill();
    void newerDatabaseIsRefused();
    void unreachableDatabaseServerIsAClearErrorNotAHang();
    void missingDatabaseSocketFailsAtOnce();
    void busyPortIsReported();
    void tokensFromTheCommandLineOpenAndCloseTheApi();
    void usersFromTheCommandLine();
    void headlessServesHttps();
    void unusableTlsFilesStopTheServer();
    void plainHttpBeyondLoopbackNeedsPermission();
    void consoleServesHttpsFromItsSettings();
    void consoleOpensTheWindowBesideTheApi();
    void consoleWithoutADisplayPointsToHeadless();
    void consoleOwnerIsItsAdminUnlessDisabled();

private:
    // Starts `--headless --port 0` (or the window, with headless false) on the test database and
    // returns the port it printed (0 when it stopped first).
    quint16 startServer(QProcess &process, const QStringList &extra = {},
                        const QProcessEnvironment &extraEnvironment = {}, bool headless = true);
    QProcess::ExitStatus run(const QStringList &arguments, QByteArray *out, QByteArray *err,
                             int *exitCode);
    QString databasePath() const { return m_dir->filePath(u"console.db"_s); }
    // `tokens create` on the test database: the secret from its last line.
    QByteArray createToken(const QString &name = u"tests"_s,
                           const QString &scopes = u"tickets:read,tickets:write,stats:read"_s);
    // A client of the server on the port, with a token made for it.
    std::unique_ptr<HttpClient> clientWithToken(quint16 port);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSupportConsole::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSupportConsole::cleanup()
{
    m_dir.reset();
}

// The program as a user runs it: with its request log on, whatever the test runner set.
static QProcessEnvironment programEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"QT_LOGGING_RULES"_s);
    return environment;
}

QProcess::ExitStatus TestSupportConsole::run(const QStringList &arguments, QByteArray *out,
                                             QByteArray *err, int *exitCode)
{
    QProcess process;
    process.setProcessEnvironment(programEnvironment());
    process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY), arguments);
    process.waitForFinished(60000);
    *out = process.readAllStandardOutput();
    *err = process.readAllStandardError();
    *exitCode = process.exitCode();
    return process.exitStatus();
}

quint16 TestSupportConsole::startServer(QProcess &process, const QStringList &extra,
                                        const QProcessEnvironment &extraEnvironment, bool headless)
{
    QProcessEnvironment environment = programEnvironment();
    environment.insert(extraEnvironment);
    process.setProcessEnvironment(environment);
    const QStringList mode = headless ? QStringList{u"--headless"_s} : QStringList{};
    process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                  mode + QStringList{u"--port"_s, u"0"_s, u"--database"_s, databasePath()} + extra);
    static const QRegularExpression listening(u"listening on https?://\\S+:(\\d+)/"_s);
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000 && process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(200);
        out += process.readAllStandardOutput();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(out));
        if (match.hasMatch())
            return quint16(match.captured(1).toUInt());
    }
    return 0;
}

QByteArray TestSupportConsole::createToken(const QString &name, const QString &scopes)
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"tokens"_s, u"create"_s, name, u"--scopes"_s, scopes, u"--database"_s, databasePath()},
        &out, &err, &exitCode);
    if (exitCode != 0)
        qWarning("tokens create failed: %s", err.constData());
    return out.trimmed().split('\n').last();
}

std::unique_ptr<HttpClient> TestSupportConsole::clientWithToken(quint16 port)
{
    auto client = std::make_unique<HttpClient>(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    client->setBearerToken(createToken(u"tests-%1"_s.arg(QDateTime::currentMSecsSinceEpoch())));
    return client;
}

void TestSupportConsole::versionAndHelp()
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"--version"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains(SUPPORT_CONSOLE_VERSION), out.constData());

    run({u"--help"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    for (const char *mention : {"--headless", "--database", "--port", "--bind", "import"})
        QVERIFY2(out.contains(mention), mention);
}

void TestSupportConsole::usageErrorsExitWithTwo()
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"--port"_s, u"99999"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 2);
    QVERIFY(err.contains("--port"));
}

void TestSupportConsole::importReportsAndIsRepeatable()
{
    const QString file = QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv");
    QByteArray out, err;
    int exitCode = -1;
    run({u"import"_s, file, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains("Read 5 rows"), out.constData());
    QVERIFY2(QRegularExpression(u"imported:\\s+4"_s).match(QString::fromUtf8(out)).hasMatch(),
             out.constData());
    QVERIFY(
        QRegularExpression(u"other languages:\\s+1"_s).match(QString::fromUtf8(out)).hasMatch());
    QVERIFY2(!err.contains("Importing:"), "progress is for terminals only");

    run({u"import"_s, file, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(QRegularExpression(u"imported:\\s+0"_s).match(QString::fromUtf8(out)).hasMatch(),
             out.constData());
    QVERIFY(
        QRegularExpression(u"already imported:\\s+4"_s).match(QString::fromUtf8(out)).hasMatch());

    run({u"import"_s, QStringLiteral(SC_FIXTURES_DIR "/tickets-broken.csv"), u"--database"_s,
         databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY(QRegularExpression(u"rejected:\\s+3"_s).match(QString::fromUtf8(out)).hasMatch());
    QVERIFY2(out.contains("line 6: a quoted field starting on line 6 is never closed"),
             out.constData());
}

void TestSupportConsole::importOfMissingFileFails()
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"import"_s, m_dir->filePath(u"nope.csv"_s), u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY(err.contains("nope.csv"));
}

void TestSupportConsole::evaluateReportsQuality()
{
    const QString file = QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv");
    QByteArray out, err;
    int exitCode = -1;
    run({u"evaluate"_s, file, u"--json"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(out).object();
    // The fixture's four English rows, each with a queue that maps to a category.
    QCOMPARE(report.value(u"count"_s).toInteger(), 4);
    QCOMPARE(report.value(u"provider"_s).toString(), u"rules"_s);
    QVERIFY(report.value(u"model"_s).toString().startsWith(u"rules"_s));
    const double accuracy = report.value(u"accuracy"_s).toDouble(-1);
    QVERIFY(accuracy >= 0.0 && accuracy <= 1.0);
    QVERIFY(report.value(u"tickets_per_second"_s).toDouble() > 0);
    QVERIFY(report.contains(u"expected_calibration_error"_s));
    QVERIFY(report[u"confusion"_s].toObject().contains(u"technical"_s));

    run({u"evaluate"_s, file}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    for (const char *mention : {"accuracy:", "macro-F1:", "ECE:", "confusion", "tickets/s"})
        QVERIFY2(out.contains(mention), out.constData());

    run({u"evaluate"_s, file, u"--provider"_s, u"oracle"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 2);
    QVERIFY(err.contains("oracle"));
}

void TestSupportConsole::trainKeepsAModelThatEvaluateUses()
{
    // Tickets about the team's own products: a model learns what the rules cannot know.
    const QString fixture = QStringLiteral(SC_FIXTURES_DIR "/team-tickets.csv");
    QByteArray out, err;
    int exitCode = -1;
    run({u"import"_s, fixture, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    // Not a terminal: a hint instead of a question, so nothing waits on stdin.
    QVERIFY2(out.contains("support-console train"), out.constData());
    QVERIFY(!out.contains("[Y/n]"));

    run({u"train"_s, u"--database"_s, databasePath(), u"--json"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(out).object();
    QVERIFY2(report.value(u"replaced"_s).toBool(), out.constData());
    const QJsonObject candidate = report.value(u"candidate"_s).toObject();
    QVERIFY(candidate.value(u"version"_s).toString().size() >= 15);
    QVERIFY(candidate.value(u"training_size"_s).toInteger() > 100);
    QVERIFY(candidate.value(u"accuracy"_s).toDouble() >= 0.9);
    QVERIFY(candidate.value(u"rules_accuracy"_s).toDouble() < 0.5);
    QCOMPARE(report.value(u"active_model"_s).toString(), report.value(u"model"_s).toString());
    QVERIFY2(report.value(u"decision"_s).toString().contains(u"now in use"_s), out.constData());
    QCOMPARE(report.value(u"stored_in"_s).toString(), databasePath());
    // The model is in the database, nothing beside it.
    QCOMPARE(QDir(m_dir->path()).entryList({u"*.json"_s, u"*.bin"_s}, QDir::Files), QStringList());

    run({u"train"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    for (const char *mention : {"built-in rules on the same tickets", "calibration error", "AUROC",
                                "active before:", "why:"})
        QVERIFY2(out.contains(mention), out.constData());

    run({u"evaluate"_s, fixture, u"--provider"_s, u"learned"_s, u"--database"_s, databasePath(),
         u"--json"_s},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonObject evaluation = QJsonDocument::fromJson(out).object();
    QCOMPARE(evaluation.value(u"provider"_s).toString(), u"learned"_s);
    QVERIFY(evaluation.value(u"model"_s).toString().startsWith(u"linear-"_s));
    QVERIFY(evaluation.value(u"accuracy"_s).toDouble() >= 0.9);
    // How accuracy grew with the team's tickets, from the same database.
    run({u"evaluate"_s, u"--learning-curve"_s, u"--database"_s, databasePath(), u"--json"_s}, &out,
        &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonObject curve = QJsonDocument::fromJson(out).object();
    const QJsonArray points = curve.value(u"points"_s).toArray();
    QVERIFY2(points.size() >= 2, out.constData());
    QCOMPARE(points.first().toObject().value(u"tickets"_s).toInt(), 100);
    QVERIFY(points.last().toObject().value(u"accuracy"_s).toDouble() >
            curve.value(u"rules_accuracy"_s).toDouble());
    // The trained model carries the same curve, for the statistics view.
    QCOMPARE(report.value(u"candidate"_s).toObject().value(u"learning_curve"_s).toObject(), curve);

    // Asking for a recipe that is not the one in use says so.
    run({u"evaluate"_s, fixture, u"--provider"_s, u"fasttext"_s, u"--database"_s, databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("not a fasttext model"), err.constData());

    // An explicit model file, for offline evaluation.
    QString error;
    const QString elsewhere = m_dir->filePath(u"offline.db"_s);
    const QString fileModel = TrainingFixture::writeVersion03Files(elsewhere, &error);
    QVERIFY2(!fileModel.isEmpty(), qPrintable(error));
    run({u"evaluate"_s, fixture, u"--provider"_s, u"fasttext"_s, u"--model"_s,
         elsewhere + u".fasttext.json"_s, u"--json"_s},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(out).object().value(u"model"_s).toString(), fileModel);
}

void TestSupportConsole::version03ModelFilesAreImportedOnUpgrade()
{
    // A v0.3 database: tickets in SQLite, the trained model in files beside it.
    const QString fixture = QStringLiteral(SC_FIXTURES_DIR "/training-tickets.csv");
    QByteArray out, err;
    int exitCode = -1;
    run({u"import"_s, fixture, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QString error;
    const QString imported = TrainingFixture::writeVersion03Files(databasePath(), &error);
    QVERIFY2(!imported.isEmpty(), qPrintable(error));

    // The first command to open it imports the model, which a new training must then beat.
    run({u"train"_s, u"--database"_s, databasePath(), u"--json"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(err.contains("Imported the learned model") && err.contains(imported.toUtf8()),
             err.constData());
    const QJsonObject report = QJsonDocument::fromJson(out).object();
    QCOMPARE(report.value(u"previous"_s).toObject().value(u"model"_s).toString(), imported);

    // Imported once only.
    run({u"train"_s, u"--database"_s, databasePath(), u"--json"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(!err.contains("Imported"), err.constData());
    QVERIFY(QFile::exists(databasePath() + u".fasttext.json"_s));
}

void TestSupportConsole::trainWithTooFewTicketsFails()
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"import"_s, QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv"), u"--database"_s,
         databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    run({u"train"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("at least 100"), err.constData());
    QVERIFY(!QFile::exists(databasePath() + u".fasttext.json"_s));

    run({u"evaluate"_s, QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv"), u"--provider"_s,
         u"fasttext"_s, u"--database"_s, databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("support-console train"), err.constData());

    run({u"train"_s, u"extra.csv"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 2);
}

void TestSupportConsole::modelsAreListedRolledBackAndPinned()
{
    const QString fixture = QStringLiteral(SC_FIXTURES_DIR "/team-tickets.csv");
    QByteArray out, err;
    int exitCode = -1;
    run({u"models"_s, u"list"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains("built-in rules classify"), out.constData());
    run({u"models"_s, u"pin"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);

    run({u"import"_s, fixture, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QStringList names;
    for (int i = 0; i < 2; ++i) {
        run({u"train"_s, u"--database"_s, databasePath(), u"--json"_s}, &out, &err, &exitCode);
        QCOMPARE(exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(out).object();
        QVERIFY2(report.value(u"replaced"_s).toBool(), out.constData());
        names.append(report.value(u"model"_s).toString());
    }
    run({u"models"_s, u"list"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    QStringList lines = QString::fromUtf8(out).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(1).contains(names.at(1)) && lines.at(1).endsWith(u"active"_s),
             out.constData());
    QVERIFY2(lines.at(2).contains(names.at(0)) && !lines.at(2).contains(u"active"_s),
             out.constData());

    // Back to the first, pinned: training keeps it.
    const QString firstId = lines.at(2).trimmed().section(u' ', 0, 0);
    run({u"models"_s, u"activate"_s, firstId, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains(names.at(0).toUtf8()), out.constData());
    run({u"models"_s, u"pin"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    run({u"train"_s, u"--database"_s, databasePath(), u"--json"_s}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonObject pinned = QJsonDocument::fromJson(out).object();
    QCOMPARE(pinned.value(u"replaced"_s).toBool(), false);
    QCOMPARE(pinned.value(u"active_model"_s).toString(), names.at(0));
    QVERIFY2(pinned.value(u"decision"_s).toString().contains(u"pinned"_s), out.constData());
    // Activating the pinned model in use changes nothing, its pin included.
    run({u"models"_s, u"activate"_s, firstId, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 0);
    QVERIFY2(out.contains("pinned; nothing changed"), out.constData());
    run({u"models"_s, u"list"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QVERIFY2(out.contains("pinned"), out.constData());

    run({u"models"_s, u"unpin"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    run({u"models"_s, u"activate"_s, u"9999"_s, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("no trained model with id 9999"), err.constData());
}

void TestSupportConsole::evaluateRemoteProvider()
{
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::correct());
    llm.enqueue(FakeLlmServer::Behaviour::malformedJson());
    QProcessEnvironment environment = programEnvironment();
    environment.insert(u"SUPPORT_CONSOLE_AI_URL"_s, llm.baseUrl().toString());
    environment.insert(u"SUPPORT_CONSOLE_AI_MODEL"_s, u"fake-model"_s);
    // Remote first in the order: evaluate without --provider measures it.
    environment.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"remote,rules"_s);

    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                  {u"evaluate"_s, QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv"), u"--json"_s});
    // The fake server answers from this thread's event loop: wait without blocking it.
    QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 30'000);
    QCOMPARE(process.exitCode(), 0);
    const QJsonObject report = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    QCOMPARE(report.value(u"provider"_s).toString(), u"remote"_s);
    QCOMPARE(report.value(u"model"_s).toString(), u"fake-model"_s);
    // Four labelled rows; the first answer is malformed and retried, so all four are scored.
    QCOMPARE(report.value(u"count"_s).toInteger(), 4);
    QCOMPARE(report.value(u"failed"_s).toInteger(), 0);
    QCOMPARE(llm.requestCount(), 5);
    // The fake always says billing: the confusion matrix shows exactly that.
    qint64 predictedBilling = 0;
    const QJsonObject confusion = report.value(u"confusion"_s).toObject();
    for (const QString &actual : confusion.keys())
        predictedBilling += confusion.value(actual).toObject().value(u"billing"_s).toInteger();
    QCOMPARE(predictedBilling, 4);
}

void TestSupportConsole::headlessServesAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestSupportConsole::headlessServesAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    QProcess process;
    const quint16 port = startServer(process);
    QVERIFY(port != 0);
    const std::unique_ptr<HttpClient> client = clientWithToken(port);
    QCOMPARE(client->postJson(u"/requests"_s, R"({"text": "hello"})").status, 201);
    QCOMPARE(client->get(u"/requests/1"_s).status, 200);
    QCOMPARE(client->get(u"/requests?q=embarrassing%20secret&status=open"_s).status, 200);
    // "%71" is "q"; QUrl would send it as "q", so these bytes go as written.
    const RawExchange::Result encoded = RawExchange(port).run(
        "GET /requests?status=closed&%71=hidden%20too HTTP/1.1\r\nHost: 127.0.0.1:" +
            QByteArray::number(port) + "\r\nAuthorization: Bearer " + client->bearerToken() +
            "\r\n\r\n",
        1, std::chrono::seconds(10));
    QCOMPARE(encoded.answers.value(0).status, 200);
    QCOMPARE(client->get(u"/requests?category="_s + QString(6000, u'x')).status, 400);

    ::kill(pid_t(process.processId()), signalNumber);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QByteArray err = process.readAllStandardError();
    // One log line per request.
    QVERIFY2(err.contains("POST /requests 201"), err.constData());
    QVERIFY2(err.contains("GET /requests/1 200"), err.constData());
    // What customers wrote and the credential stay out of the log.
    QVERIFY2(err.contains("GET /requests?q=...&status=open 200"), err.constData());
    QVERIFY2(err.contains("GET /requests?status=closed&%71=... 200"), err.constData());
    QVERIFY(!err.contains("embarrassing"));
    QVERIFY(!err.contains("hidden"));
    QVERIFY(!err.contains(client->bearerToken()));
    // A long URL is cut short in its line.
    QVERIFY2(err.contains(QByteArray(QByteArray(100, 'x') + "... 400")), err.constData());
    for (const QByteArray &line : err.split('\n'))
        QVERIFY2(line.size() < 2200, line.left(200).constData());
    QVERIFY(process.readAllStandardOutput().contains("Stopped."));
}

void TestSupportConsole::acknowledgedTicketsSurviveKill9()
{
    QProcess process;
    quint16 port = startServer(process);
    QVERIFY(port != 0);
    QList<std::pair<qint64, QString>> acknowledged;
    const QByteArray token = createToken();
    {
        HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
        client.setBearerToken(token);
        for (int i = 0; i < 200; ++i) {
            const QString text = u"Ticket %1 must survive"_s.arg(i);
            const HttpClient::Response response = client.postJson(
                u"/requests"_s, QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson());
            QCOMPARE(response.status, 201);
            acknowledged.append({response.json().value(u"id"_s).toInteger(), text});
        }
    }
    process.kill(); // SIGKILL: no chance to flush or close anything
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);

    QProcess restarted;
    port = startServer(restarted);
    QVERIFY(port != 0);
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    client.setBearerToken(token);
    for (const auto &[id, text] : acknowledged) {
        const HttpClient::Response response = client.get(u"/requests/%1"_s.arg(id));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.json().value(u"body"_s).toString(), text);
    }
    QCOMPARE(client.get(u"/requests"_s).json().value(u"total"_s).toInteger(), acknowledged.size());
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
}

void TestSupportConsole::pendingClassificationsFinishAfterAKill()
{
    // A slow remote provider keeps the classification backlog busy long enough to kill it.
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(std::chrono::milliseconds(400)));
    QProcessEnvironment remoteOnly;
    remoteOnly.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"remote"_s);
    // The killed node's jobs wait for its leases to run out before the restarted one (a new
    // node to the queue) may take them.
    remoteOnly.insert(u"SUPPORT_CONSOLE_AI_LEASE_SECONDS"_s, u"2"_s);
    remoteOnly.insert(u"SUPPORT_CONSOLE_AI_URL"_s, llm.baseUrl().toString());
    remoteOnly.insert(u"SUPPORT_CONSOLE_AI_MODEL"_s, u"fake-model"_s);

    QProcess process;
    quint16 port = startServer(process, {}, remoteOnly);
    QVERIFY(port != 0);
    constexpr int kTickets = 30;
    const QByteArray token = createToken();
    {
        HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
        client.setBearerToken(token);
        for (int i = 0; i < kTickets; ++i) {
            const HttpClient::Response response = client.postJson(
                u"/requests"_s,
                QJsonDocument(QJsonObject{{u"text"_s, u"The app crashes, case %1"_s.arg(i)}})
                    .toJson());
            QCOMPARE(response.status, 201);
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(llm.requestCount() >= 8, 10'000);
    process.kill();
    QVERIFY(process.waitForFinished(10000));

    QProcessEnvironment rulesOnly;
    rulesOnly.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"rules"_s);
    QProcess restarted;
    port = startServer(restarted, {}, rulesOnly);
    QVERIFY(port != 0);
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    QTRY_COMPARE_WITH_TIMEOUT(client.get(u"/health"_s)
                                  .json()
                                  .value(u"classification"_s)
                                  .toObject()
                                  .value(u"pending"_s)
                                  .toInteger(-1),
                              0, 15'000);
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));

    // Every ticket has exactly one result: the remote one if it landed before the kill,
    // otherwise the rules' after the restart.
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
    db.setDatabaseName(databasePath());
    QVERIFY(db.open());
    {
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SELECT provider, COUNT(*), COUNT(DISTINCT ticket_id) "
                           "FROM classifications GROUP BY provider"_s));
        QHash<QString, qint64> perProvider;
        qint64 total = 0;
        while (query.next()) {
            QCOMPARE(query.value(1).toLongLong(), query.value(2).toLongLong());
            perProvider.insert(query.value(0).toString(), query.value(1).toLongLong());
            total += query.value(1).toLongLong();
        }
        QCOMPARE(total, kTickets);
        QVERIFY2(perProvider.value(u"remote"_s) > 0, "nothing was classified before the kill");
        QVERIFY2(perProvider.value(u"rules"_s) > 0, "nothing was left for the restart");
        QVERIFY(query.exec(u"SELECT COUNT(DISTINCT ticket_id) FROM classifications"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), kTickets);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"check"_s);
}

// Killed while its receiver holds every delivery without answering: after a restart, every
// ticket whose POST was answered reaches the receiver, those it took before the kill again,
// and a receiver that deduplicates on the event id has each exactly once.
void TestSupportConsole::webhooksDeliverEveryCommittedChangeAfterAKill()
{
    WebhookReceiver receiver;
    receiver.setDefaultAnswer(WebhookReceiver::Answer::takeSilently());
    QProcessEnvironment environment;
    environment.insert(u"SUPPORT_CONSOLE_SECRETS_KEY_FILE"_s, m_dir->filePath(u"secrets.key"_s));
    // An attempt still unanswered after two seconds is over; the restarted node takes it again
    // once the dead node's claim (the time-out and a margin) has passed.
    environment.insert(u"SUPPORT_CONSOLE_WEBHOOK_TIMEOUT_SECONDS"_s, u"2"_s);
    environment.insert(u"SUPPORT_CONSOLE_WEBHOOK_RETRY_SECONDS"_s, u"0.2"_s);

    QProcess process;
    quint16 port = startServer(process, {}, environment);
    QVERIFY(port != 0);
    const QByteArray token = createToken(u"crm"_s, u"tickets:write,webhooks:manage"_s);
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    client.setBearerToken(token);
    const HttpClient::Response registered = client.postJson(
        u"/webhooks"_s, QJsonDocument(QJsonObject{{u"url"_s, receiver.url().toString()},
                                                  {u"events"_s, QJsonArray{u"ticket.created"_s}}})
                            .toJson());
    QCOMPARE(registered.status, 201);
    receiver.setSecret(registered.json()[u"secret"_s].toString());
    QVERIFY(QFile::exists(m_dir->filePath(u"secrets.key"_s)));

    QSet<qint64> committed;
    const auto post = [&](HttpClient &to, int count) {
        for (int i = 0; i < count; ++i) {
            const HttpClient::Response created = to.postJson(
                u"/requests"_s,
                QJsonDocument(QJsonObject{{u"text"_s, u"The app crashes, case %1"_s.arg(i)}})
                    .toJson());
            if (created.status == 201)
                committed.insert(created.json()[u"id"_s].toInteger());
        }
    };
    post(client, 30);
    QCOMPARE(committed.size(), 30);
    // Some deliveries on the wire, the rest waiting in the outbox.
    QTRY_VERIFY_WITH_TIMEOUT(!receiver.received().isEmpty(), 10'000);
    process.kill();
    QVERIFY(process.waitForFinished(10000));
    const qsizetype takenBeforeTheKill = receiver.acceptedIds().size();
    QVERIFY(takenBeforeTheKill > 0);
    QVERIFY(takenBeforeTheKill < committed.size());

    receiver.setDefaultAnswer(WebhookReceiver::Answer::accept());
    QProcess restarted;
    port = startServer(restarted, {}, environment);
    QVERIFY(port != 0);
    HttpClient again(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    again.setBearerToken(token);
    post(again, 10);
    QCOMPARE(committed.size(), 40);

    const auto deliveredTickets = [&] {
        QSet<qint64> tickets;
        for (const WebhookReceiver::Delivery &delivery : receiver.received()) {
            if (delivery.accepted)
                tickets.insert(delivery.json[u"ticket_id"_s].toInteger());
        }
        return tickets;
    };
    QTRY_COMPARE_WITH_TIMEOUT(deliveredTickets(), committed, 30'000);
    // And the node knows each was delivered: those it sent before the kill, without hearing
    // back, it sent again.
    const QString log = u"/webhooks/%1/deliveries?state=delivered&limit=500"_s.arg(
        registered.json()[u"webhook"_s][u"id"_s].toInteger());
    QTRY_COMPARE_WITH_TIMEOUT(again.get(log).json()[u"items"_s].toArray().size(), committed.size(),
                              30'000);
    QCOMPARE(receiver.invalidSignatures(), 0);
    // Deduplicated, one event per ticket; those taken before the kill came again.
    QCOMPARE(receiver.acceptedIds().size(), committed.size());
    QVERIFY(receiver.duplicates() > 0);
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
}

void TestSupportConsole::newerDatabaseIsRefused()
{
    {
        QProcess process;
        QVERIFY(startServer(process) != 0);
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tamper"_s);
        db.setDatabaseName(databasePath());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(
            u"INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tamper"_s);

    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("newer"), err.constData());
}

// A server that takes the connection and never answers, as a half-dead host or a firewall that
// drops packets would: libpq's connect_timeout must end the wait.
void TestSupportConsole::unreachableDatabaseServerIsAClearErrorNotAHang()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const QString uri = u"postgresql://support:s3cret@127.0.0.1:%1/tickets?connect_timeout=2"_s.arg(
        silent.serverPort());
    QElapsedTimer timer;
    timer.start();
    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, uri}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(err.contains("Could not open the database postgresql://support:***@127.0.0.1"),
             err.constData());
    QVERIFY2(err.contains("timeout"), err.constData());
    // The password is on the command line already (and a warning says so); no output repeats it.
    QVERIFY(!err.contains("s3cret"));
    QVERIFY(!out.contains("s3cret"));
}

void TestSupportConsole::missingDatabaseSocketFailsAtOnce()
{
    const QString uri = u"postgresql:///tickets?host=%1"_s.arg(m_dir->filePath(u"nowhere"_s));
    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, uri}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("Is the server running"), err.constData());
}

void TestSupportConsole::busyPortIsReported()
{
    QProcess first;
    const quint16 port = startServer(first);
    QVERIFY(port != 0);
    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--port"_s, QString::number(port), u"--database"_s,
         m_dir->filePath(u"other.db"_s)},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains(QByteArray::number(port)), err.constData());
    first.terminate();
    QVERIFY(first.waitForFinished(10000));
}

// The whole life of a token, as an admin lives it: made on the command line, used, listed with
// its last use, revoked while a server runs and refused by it within a second.
void TestSupportConsole::tokensFromTheCommandLineOpenAndCloseTheApi()
{
    QProcess server;
    const quint16 port = startServer(server);
    QVERIFY(port != 0);
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    QCOMPARE(client.get(u"/requests"_s).status, 401);

    QByteArray out, err;
    int exitCode = -1;
    run({u"tokens"_s, u"create"_s, u"crm"_s, u"--scopes"_s, u"tickets:read"_s, u"--expires"_s,
         u"30"_s, u"--database"_s, databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QByteArray secret = out.trimmed().split('\n').last();
    QVERIFY2(secret.startsWith("sct_") && secret.size() == 47, out.constData());
    // Nothing but the secret on its line, and never in the log.
    QVERIFY(!err.contains(secret));
    client.setBearerToken(secret);
    QCOMPARE(client.get(u"/requests"_s).status, 200);
    const HttpClient::Response write = client.postJson(u"/requests"_s, R"({"text": "hi"})");
    QCOMPARE(write.status, 403);

    run({u"tokens"_s, u"create"_s, u"crm"_s, u"--scopes"_s, u"tickets:read"_s, u"--database"_s,
         databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("already exists"), err.constData());
    run({u"tokens"_s, u"create"_s, u"x"_s, u"--scopes"_s, u"tickets:delete"_s, u"--database"_s,
         databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 2);
    QVERIFY2(err.contains("tickets:delete"), err.constData());

    run({u"tokens"_s, u"list"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    QCOMPARE(exitCode, 0);
    const QByteArray crmLine = out.split('\n').value(1);
    QVERIFY2(crmLine.startsWith("crm ") && crmLine.contains("tickets:read") &&
                 crmLine.contains("live") && !crmLine.contains(" - "),
             out.constData());
    QVERIFY(!out.contains(secret));

    run({u"tokens"_s, u"revoke"_s, u"crm"_s, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 0);
    // Timed from when the refused request was sent: a slow (sanitized) server may take long to
    // answer, but what it answers is what counts.
    QElapsedTimer sinceRevoke;
    sinceRevoke.start();
    qint64 refusedRequestSentAt = -1;
    while (refusedRequestSentAt < 0 && sinceRevoke.elapsed() < 10'000) {
        const qint64 sentAt = sinceRevoke.elapsed();
        if (client.get(u"/requests"_s).status == 401)
            refusedRequestSentAt = sentAt;
        else
            QTest::qWait(50);
    }
    QVERIFY2(refusedRequestSentAt >= 0 && refusedRequestSentAt <= 1'000,
             QByteArray::number(refusedRequestSentAt).constData());
    run({u"tokens"_s, u"revoke"_s, u"crm"_s, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 1);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void TestSupportConsole::usersFromTheCommandLine()
{
    const auto runWithInput = [this](const QStringList &arguments, const QByteArray &input,
                                     QByteArray *out, QByteArray *err) {
        QProcess process;
        process.setProcessEnvironment(programEnvironment());
        process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                      arguments + QStringList{u"--database"_s, databasePath()});
        process.write(input);
        process.closeWriteChannel();
        process.waitForFinished(60000);
        *out = process.readAllStandardOutput();
        *err = process.readAllStandardError();
        return process.exitCode();
    };
    QByteArray out, err;
    QCOMPARE(runWithInput({u"users"_s, u"add"_s, u"alice"_s, u"--role"_s, u"manager"_s},
                          "correct horse battery\n", &out, &err),
             0);
    QVERIFY(!err.contains("correct horse"));
    QCOMPARE(runWithInput({u"users"_s, u"add"_s, u"alice"_s, u"--role"_s, u"agent"_s},
                          "another good password\n", &out, &err),
             1);
    QVERIFY2(err.contains("already exists"), err.constData());
    QCOMPARE(runWithInput({u"users"_s, u"add"_s, u"bob"_s, u"--role"_s, u"agent"_s}, "short\n",
                          &out, &err),
             1);
    QVERIFY2(err.contains("shorter than"), err.constData());
    QCOMPARE(runWithInput({u"users"_s, u"add"_s, u"bob"_s, u"--role"_s, u"chief"_s},
                          "correct horse battery\n", &out, &err),
             2);
    QCOMPARE(runWithInput({u"users"_s, u"disable"_s, u"nobody"_s}, {}, &out, &err), 1);
    QVERIFY2(err.contains("no user named nobody"), err.constData());
    QCOMPARE(
        runWithInput({u"users"_s, u"passwd"_s, u"nobody"_s}, "correct horse battery\n", &out, &err),
        1);
    QCOMPARE(
        runWithInput({u"users"_s, u"passwd"_s, u"alice"_s}, "a new long passphrase\n", &out, &err),
        0);
    QCOMPARE(runWithInput({u"users"_s, u"disable"_s, u"alice"_s}, {}, &out, &err), 0);
    QCOMPARE(runWithInput({u"users"_s, u"list"_s}, {}, &out, &err), 0);
    const QByteArray aliceLine = out.split('\n').value(1);
    QVERIFY2(aliceLine.startsWith("alice ") && aliceLine.contains("manager") &&
                 aliceLine.contains("disabled"),
             out.constData());

    // Only the hash is stored, and it is libsodium's Argon2id.
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"users-check"_s);
    db.setDatabaseName(databasePath());
    QVERIFY(db.open());
    {
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SELECT password_hash FROM users WHERE name = 'alice'"_s));
        QVERIFY(query.next());
        const QString hash = query.value(0).toString();
        QVERIFY2(hash.startsWith(u"$argon2id$"_s), qPrintable(hash));
        QVERIFY(!hash.contains(u"passphrase"_s));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"users-check"_s);
}

// --tls-cert and --tls-key: HTTPS that a client trusting the certificate accepts.
void TestSupportConsole::headlessServesHttps()
{
    const TestCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    QProcess process;
    const quint16 port = startServer(process, {u"--tls-cert"_s, certificate.certificatePath(),
                                               u"--tls-key"_s, certificate.keyPath()});
    QVERIFY2(port != 0, process.readAllStandardError().constData());

    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/health"_s.arg(port)));
    request.setSslConfiguration(certificate.clientConfiguration());
    QNetworkReply *reply = manager.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10'000));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();

    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

// A key that does not fit is a runtime failure with the reason, before anything listens; half
// a pair is a usage error.
void TestSupportConsole::unusableTlsFilesStopTheServer()
{
    TestCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    const QString unrelatedKey = certificate.makeUnrelatedKey();
    QVERIFY(!unrelatedKey.isEmpty());
    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, databasePath(), u"--tls-cert"_s,
         certificate.certificatePath(), u"--tls-key"_s, unrelatedKey},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("does not belong to the certificate"), err.constData());
    QVERIFY2(!out.contains("listening"), out.constData());

    run({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, databasePath(), u"--tls-cert"_s,
         certificate.certificatePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 2);
    QVERIFY2(err.contains("--tls-key"), err.constData());
}

// Plain HTTP on every interface only when asked for by name.
void TestSupportConsole::plainHttpBeyondLoopbackNeedsPermission()
{
    QByteArray out, err;
    int exitCode = -1;
    run({u"--headless"_s, u"--bind"_s, u"0.0.0.0"_s, u"--port"_s, u"0"_s, u"--database"_s,
         databasePath()},
        &out, &err, &exitCode);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("--insecure-http"), err.constData());
    QVERIFY2(!out.contains("listening"), out.constData());

    QProcess process;
    const quint16 port = startServer(process, {u"--bind"_s, u"0.0.0.0"_s, u"--insecure-http"_s});
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    QCOMPARE(client.get(u"/health"_s).status, 200);
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
}

// The window's settings name the files (as its Settings dialog stores them): HTTPS too.
void TestSupportConsole::consoleServesHttpsFromItsSettings()
{
    const TestCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    const QString configHome = m_dir->filePath(u"config"_s);
    QVERIFY(QDir().mkpath(configHome + u"/SupportConsole"_s));
    {
        QSettings settings(configHome + u"/SupportConsole/support-console.conf"_s,
                           QSettings::IniFormat);
        settings.setValue(SettingsKeys::apiTlsCertificate, certificate.certificatePath());
        settings.setValue(SettingsKeys::apiTlsKey, certificate.keyPath());
    }
    QProcessEnvironment environment;
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"XDG_CONFIG_HOME"_s, configHome);
    QProcess process;
    const quint16 port = startServer(process, {}, environment, false);
    QVERIFY2(port != 0, process.readAllStandardError().constData());

    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/health"_s.arg(port)));
    request.setSslConfiguration(certificate.clientConfiguration());
    QNetworkReply *reply = manager.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10'000));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    reply->deleteLater();
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(15000));
}

// No flag: the window (offscreen here) with the API beside it, stopped like the server.
void TestSupportConsole::consoleOpensTheWindowBesideTheApi()
{
    QProcess process;
    QProcessEnvironment offscreen;
    offscreen.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const quint16 port = startServer(process, {}, offscreen, false);
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    HttpClient client(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    QCOMPARE(client.get(u"/health"_s).status, 200);
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestSupportConsole::consoleWithoutADisplayPointsToHeadless()
{
    QProcess process;
    QProcessEnvironment environment = programEnvironment();
    for (const QString &name : {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s})
        environment.remove(name);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                  {u"--database"_s, databasePath(), u"--port"_s, u"0"_s});
    QVERIFY(process.waitForFinished(15000));
    QCOMPARE(process.exitCode(), 1);
    QVERIFY(process.readAllStandardError().contains("--headless"));
}

// A one-person console on SQLite opens for the operating-system account, made its admin the
// first time, without a password; once that account is disabled, it says so and stops.
void TestSupportConsole::consoleOwnerIsItsAdminUnlessDisabled()
{
    QProcessEnvironment owner;
    owner.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    owner.insert(u"USER"_s, u"carol"_s);
    QProcess window;
    QVERIFY2(startServer(window, {}, owner, false) != 0, window.readAllStandardError().constData());
    ::kill(pid_t(window.processId()), SIGTERM);
    QVERIFY(window.waitForFinished(15000));
    QCOMPARE(window.exitCode(), 0);

    QByteArray out, err;
    int exitCode = -1;
    run({u"users"_s, u"list"_s, u"--database"_s, databasePath()}, &out, &err, &exitCode);
    const QByteArray carol = out.split('\n').value(1);
    QVERIFY2(carol.startsWith("carol ") && carol.contains("admin") && carol.contains("active"),
             out.constData());

    run({u"users"_s, u"disable"_s, u"carol"_s, u"--database"_s, databasePath()}, &out, &err,
        &exitCode);
    QCOMPARE(exitCode, 0);
    QProcess refused;
    QProcessEnvironment environment = programEnvironment();
    environment.insert(owner);
    refused.setProcessEnvironment(environment);
    refused.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                  {u"--database"_s, databasePath(), u"--port"_s, u"0"_s});
    QVERIFY(refused.waitForFinished(30000));
    QCOMPARE(refused.exitCode(), 1);
    const QByteArray error = refused.readAllStandardError();
    QVERIFY2(error.contains("carol") && error.contains("disabled") &&
                 error.contains("users enable carol"),
             error.constData());
    QVERIFY(!refused.readAllStandardOutput().contains("listening"));
}

QTEST_GUILESS_MAIN(TestSupportConsole)
#include "tst_supportconsole.moc"
