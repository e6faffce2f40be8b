#include "consoleprocess.h"
#include "database.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "teamdatabase.h"
#include "testaccount.h"
#include "ticketrepository.h"
#include "ticketservice.h"
#include "tickettablemodel.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

// An agent's window in a team: its own process and connections on the team's PostgreSQL
// database, with another node (the real program) taking tickets through its API.
class TestTeamWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ticketPostedToAnotherNodeAppearsWithinASecond();
    void terminatedConnectionsAreShownAndRecoveredFrom();
    void programSignsInWithUserAndStandardInput();
    void programWithAWrongPasswordExitsWithTheReason();

private:
    void openWindow();
    // The real program with its standard input; `users add` and the window alike.
    void startProgram(QProcess &process, const QStringList &arguments, const QByteArray &input);
    QLabel *databaseLabel() const
    {
        return m_window->findChild<QLabel *>(u"databaseStatusLabel"_s);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TeamDatabase> m_team;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<MainWindow> m_window;
};

void TestTeamWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_team = std::make_unique<TeamDatabase>();
    QVERIFY2(m_team->isValid(), qPrintable(m_team->errorString()));
}

void TestTeamWindow::cleanup()
{
    m_window.reset();
    m_tickets.reset();
    if (m_database)
        m_database->closeThreadConnection();
    m_database.reset();
    m_team.reset();
    m_dir.reset();
}

// As the program opens its window: migrate, then the service and the window over it.
void TestTeamWindow::openWindow()
{
    m_database = std::make_unique<Database>(m_team->config());
    m_database->migrate();
    m_tickets = std::make_unique<TicketService>(*m_database);
    m_window = std::make_unique<MainWindow>(*m_tickets, testAccount(Role::Agent));
    QSignalSpy reloaded(m_window->ticketModel(), &TicketTableModel::reloaded);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), 10'000);
}

void TestTeamWindow::ticketPostedToAnotherNodeAppearsWithinASecond()
{
    openWindow();
    ConsoleProcess node(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                        m_dir->filePath(u"node.stderr.log"_s));
    QProcessEnvironment rulesOnly;
    rulesOnly.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"rules"_s);
    QVERIFY2(node.startNode(m_team->uri(), rulesOnly), node.describe().constData());
    HttpClient client(node.baseUrl());
    client.setBearerToken(m_team->createToken());
    TicketTableModel *model = m_window->ticketModel();

    // Three tickets one after the other, each timed from its 201 to its row in the window.
    qint64 slowest = 0;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer clock;
        qint64 id = 0;
        qint64 seenAtMs = -1;
        // Noted the moment the model has it, rather than at the next QTRY poll.
        const auto noteIfShown = [&] {
            if (seenAtMs < 0 && id > 0 && model->rowOfTicket(id) >= 0)
                seenAtMs = clock.elapsed();
        };
        QList<QMetaObject::Connection> watches{
            connect(model, &QAbstractItemModel::rowsInserted, this, noteIfShown),
            connect(model, &QAbstractItemModel::dataChanged, this, noteIfShown),
            connect(model, &QAbstractItemModel::modelReset, this, noteIfShown),
            connect(model, &QAbstractItemModel::layoutChanged, this, noteIfShown),
            connect(model, &TicketTableModel::refreshed, this, noteIfShown),
            connect(model, &TicketTableModel::reloaded, this, noteIfShown)};

        clock.start();
        const HttpClient::Response response = client.postJson(
            u"/requests"_s, QJsonDocument(QJsonObject{{u"subject"_s, u"From node %1"_s.arg(i)},
                                                      {u"body"_s, u"Printer on fire"_s}})
                                .toJson(QJsonDocument::Compact));
        const qint64 acknowledgedAtMs = clock.elapsed();
        QVERIFY2(response.status == 201, response.body.constData());
        id = response.json().value(u"id"_s).toInteger();
        QVERIFY(id > 0);
        noteIfShown();
        QTRY_VERIFY_WITH_TIMEOUT(seenAtMs >= 0, 5'000);
        for (const QMetaObject::Connection &watch : std::as_const(watches))
            disconnect(watch);

        // The notification may even beat the 201 to the test.
        const qint64 latency = std::max<qint64>(seenAtMs - acknowledgedAtMs, 0);
        qInfo("Ticket %lld shown by the window %lld ms after the node's 201", id, latency);
        QVERIFY2(latency < 1000, qPrintable(u"%1 ms"_s.arg(latency)));
        slowest = std::max(slowest, latency);
        QCOMPARE(
            model->index(model->rowOfTicket(id), TicketTableModel::SubjectColumn).data().toString(),
            u"From node %1"_s.arg(i));
    }
    qInfo("Slowest: %lld ms", slowest);
    QVERIFY2(node.stop(), node.describe().constData());
}

void TestTeamWindow::terminatedConnectionsAreShownAndRecoveredFrom()
{
    openWindow();
    QVERIFY(databaseLabel());
    QVERIFY(databaseLabel()->isHidden());

    // Checked when the window has just heard of it: the label may show for one poll only.
    bool labelShown = false;
    QString labelText;
    connect(m_tickets.get(), &TicketService::databaseAvailabilityChanged, this,
            [&](bool available) {
                if (!available && !labelShown) {
                    labelShown = databaseLabel()->isVisible();
                    labelText = databaseLabel()->text();
                }
            });

    // What a server restart or a failover does to every connection of the window.
    QString error;
    const QVariantList terminated =
        m_team->column(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"_s,
                       &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(!terminated.isEmpty(), "the window held no connection to terminate");

    QTRY_VERIFY_WITH_TIMEOUT(labelShown, 10'000);
    QVERIFY2(labelText.contains(u"unreachable"_s), qPrintable(labelText));
    QTRY_VERIFY_WITH_TIMEOUT(databaseLabel()->isHidden(), 15'000);

    // The table still follows the database: a ticket stored elsewhere appears.
    qint64 id = 0;
    {
        Database other(m_team->config());
        {
            TicketRepository repository(other);
            id = repository
                     .create(TicketDraft::fromSubjectAndBody(u"After the outage"_s, u"b"_s,
                                                             TicketSource::Api))
                     .id;
        }
        other.closeThreadConnection();
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_window->ticketModel()->rowOfTicket(id) >= 0, 5'000);
    QVERIFY(databaseLabel()->isHidden());
}

void TestTeamWindow::startProgram(QProcess &process, const QStringList &arguments,
                                  const QByteArray &input)
{
    process.setStandardErrorFile(m_dir->filePath(u"program.stderr.log"_s));
    process.start(QStringLiteral(SUPPORT_CONSOLE_BINARY),
                  arguments + QStringList{u"--database"_s, m_team->uri()});
    QVERIFY(process.waitForStarted());
    process.write(input);
    process.closeWriteChannel();
}

// A script or test opens the window on a shared database with --user: no dialog, the password
// on standard input, and the window's user named on standard output.
void TestTeamWindow::programSignsInWithUserAndStandardInput()
{
    QProcess add;
    startProgram(add, {u"users"_s, u"add"_s, u"carol"_s, u"--role"_s, u"manager"_s},
                 "correct horse battery\n");
    QVERIFY(add.waitForFinished(60'000));
    QCOMPARE(add.exitCode(), 0);

    QProcess window;
    startProgram(window, {u"--user"_s, u"carol"_s, u"--port"_s, u"0"_s}, "correct horse battery\n");
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += window.readAllStandardOutput()).contains("listening on") ||
                                 window.state() == QProcess::NotRunning,
                             20'000);
    QVERIFY2(out.contains("Signed in as carol (manager)."), out.constData());
    QVERIFY2(out.contains("listening on"), out.constData());
    QVERIFY(!out.contains("correct horse"));
    ::kill(pid_t(window.processId()), SIGTERM);
    QVERIFY(window.waitForFinished(15'000));
    QCOMPARE(window.exitStatus(), QProcess::NormalExit);
    QCOMPARE(window.exitCode(), 0);
}

void TestTeamWindow::programWithAWrongPasswordExitsWithTheReason()
{
    QProcess add;
    startProgram(add, {u"users"_s, u"add"_s, u"carol"_s, u"--role"_s, u"agent"_s},
                 "correct horse battery\n");
    QVERIFY(add.waitForFinished(60'000));
    QCOMPARE(add.exitCode(), 0);

    QProcess window;
    startProgram(window, {u"--user"_s, u"carol"_s, u"--port"_s, u"0"_s}, "wrong horse battery\n");
    QVERIFY(window.waitForFinished(30'000));
    QCOMPARE(window.exitStatus(), QProcess::NormalExit);
    QCOMPARE(window.exitCode(), 1);
    QFile errors(m_dir->filePath(u"program.stderr.log"_s));
    QVERIFY(errors.open(QIODevice::ReadOnly));
    const QByteArray error = errors.readAll();
    QVERIFY2(error.contains("sign-in refused for carol"), error.constData());
    QVERIFY(!error.contains("wrong horse"));
    // Refused before anything started: no API, no window.
    const QByteArray out = window.readAllStandardOutput();
    QVERIFY2(!out.contains("listening"), out.constData());
}

QTEST_MAIN(TestTeamWindow)
#include "tst_teamwindow.moc"
