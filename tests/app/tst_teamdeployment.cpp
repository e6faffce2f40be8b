#include "consoleprocess.h"
#include "eventstreamclient.h"
#include "httpclient.h"
#include "teamdatabase.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

// A team's deployment end to end: several real support-console nodes on one real PostgreSQL
// database, each a separate process, driven through the API as clients would drive them.
class TestTeamDeployment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ticketPostedToOneNodeIsReadFromAnother();
    void eventsOfEveryNodeReachSubscribersOfEveryNodeOnce();
    void threeNodesClassifyABacklogOnce();
    void killedNodeLosesNoAcknowledgedTicketAndItsJobsAreTakenOver();
    void manyNodesMigrateAFreshDatabaseAtOnce();

private:
    std::unique_ptr<ConsoleProcess> newProcess(const QString &name);
    static QProcessEnvironment rulesOnly();

    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

constexpr auto kBinary = SUPPORT_CONSOLE_BINARY;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

qint64 count(TeamDatabase &database, const QString &sql, QString *error)
{
    return database.scalar(sql, error).value_or(QVariant(-1)).toLongLong();
}

// What every check below reads: tickets with no machine classification, or with more than one.
constexpr auto kUnclassified = "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS "
                               "(SELECT 1 FROM classifications c WHERE c.ticket_id = t.id)";
constexpr auto kClassifiedTwice = "SELECT ticket_id FROM classifications "
                                  "GROUP BY ticket_id HAVING COUNT(*) <> 1";

} // namespace

void TestTeamDeployment::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestTeamDeployment::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<ConsoleProcess> TestTeamDeployment::newProcess(const QString &name)
{
    return std::make_unique<ConsoleProcess>(QString::fromUtf8(kBinary),
                                            m_dir->filePath(name + u".stderr.log"_s));
}

QProcessEnvironment TestTeamDeployment::rulesOnly()
{
    QProcessEnvironment environment;
    environment.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"rules"_s);
    return environment;
}

void TestTeamDeployment::ticketPostedToOneNodeIsReadFromAnother()
{
    TeamDatabase database;
    QVERIFY2(database.isValid(), qPrintable(database.errorString()));
    const QByteArray token = database.createToken();
    const auto a = newProcess(u"a"_s);
    const auto b = newProcess(u"b"_s);
    QVERIFY2(a->startNode(database.uri(), rulesOnly()), a->describe().constData());
    QVERIFY2(b->startNode(database.uri(), rulesOnly()), b->describe().constData());
    HttpClient clientA(a->baseUrl());
    clientA.setBearerToken(token);
    HttpClient clientB(b->baseUrl());
    clientB.setBearerToken(token);

    const HttpClient::Response posted = clientA.postJson(
        u"/requests"_s,
        json({{u"subject"_s, u"Printer on fire"_s}, {u"body"_s, u"Node A took this one."_s}}));
    QVERIFY2(posted.status == 201, posted.body.constData());
    const qint64 id = posted.json().value(u"id"_s).toInteger();
    QVERIFY(id > 0);

    const HttpClient::Response read = clientB.get(u"/requests/%1"_s.arg(id));
    QVERIFY2(read.status == 200, read.body.constData());
    QCOMPARE(read.json().value(u"subject"_s).toString(), u"Printer on fire"_s);
    QCOMPARE(read.json().value(u"body"_s).toString(), u"Node A took this one."_s);

    const HttpClient::Response list = clientB.get(u"/requests"_s);
    QVERIFY2(list.status == 200, list.body.constData());
    QCOMPARE(list.json().value(u"total"_s).toInteger(), 1);
    const QJsonArray items = list.json().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value(u"id"_s).toInteger(), id);

    // And the other way round.
    const HttpClient::Response back =
        clientB.postJson(u"/requests"_s, json({{u"text"_s, u"Node B took this one."_s}}));
    QVERIFY2(back.status == 201, back.body.constData());
    const qint64 backId = back.json().value(u"id"_s).toInteger();
    const HttpClient::Response readBack = clientA.get(u"/requests/%1"_s.arg(backId));
    QVERIFY2(readBack.status == 200, readBack.body.constData());
    QCOMPARE(readBack.json().value(u"body"_s).toString(), u"Node B took this one."_s);
    QCOMPARE(clientA.get(u"/requests"_s).json().value(u"total"_s).toInteger(), 2);

    QVERIFY2(a->stop(), a->describe().constData());
    QVERIFY2(b->stop(), b->describe().constData());
}

void TestTeamDeployment::eventsOfEveryNodeReachSubscribersOfEveryNodeOnce()
{
    TeamDatabase database;
    QVERIFY2(database.isValid(), qPrintable(database.errorString()));
    const QByteArray token = database.createToken();
    const auto a = newProcess(u"a"_s);
    const auto b = newProcess(u"b"_s);
    QVERIFY2(a->startNode(database.uri(), rulesOnly()), a->describe().constData());
    QVERIFY2(b->startNode(database.uri(), rulesOnly()), b->describe().constData());
    QNetworkAccessManager manager;
    EventStreamClient onA(manager, "GET", a->baseUrl().resolved(QUrl(u"/events"_s)), token);
    EventStreamClient onB(manager, "GET", b->baseUrl().resolved(QUrl(u"/events"_s)), token);
    QTRY_VERIFY_WITH_TIMEOUT(
        onA.raw().contains(": subscribed") && onB.raw().contains(": subscribed"), 10'000);

    HttpClient clientA(a->baseUrl());
    clientA.setBearerToken(token);
    HttpClient clientB(b->baseUrl());
    clientB.setBearerToken(token);
    QSet<qint64> posted;
    for (int i = 0; i < 10; ++i) {
        HttpClient &client = i % 2 == 0 ? clientA : clientB;
        const HttpClient::Response response =
            client.postJson(u"/requests"_s, json({{u"text"_s, u"Ticket %1"_s.arg(i)}}));
        QVERIFY2(response.status == 201, response.body.constData());
        posted.insert(response.json().value(u"id"_s).toInteger());
    }
    // Both subscribers hear of every ticket created, wherever it was posted, once each and in
    // the same order.
    const auto created = [](const EventStreamClient &client) {
        QList<qint64> ids;
        for (qsizetype i = 0; i < client.events().size(); ++i) {
            if (client.events().at(i).type == u"ticket.created")
                ids.append(client.data(i).value(u"ticket_id"_s).toInteger());
        }
        return ids;
    };
    QTRY_COMPARE_WITH_TIMEOUT(created(onA).size(), 10, 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(created(onB).size(), 10, 10'000);
    const QList<qint64> toldOnA = created(onA);
    QCOMPARE(QSet<qint64>(toldOnA.cbegin(), toldOnA.cend()), posted);
    QCOMPARE(created(onB), toldOnA);
    QTest::qWait(1500);
    QCOMPARE(created(onA).size(), 10);
    QCOMPARE(created(onB).size(), 10);

    QVERIFY2(a->stop(), a->describe().constData());
    QVERIFY2(b->stop(), b->describe().constData());
}

void TestTeamDeployment::threeNodesClassifyABacklogOnce()
{
    TeamDatabase database;
    QVERIFY2(database.isValid(), qPrintable(database.errorString()));
    const QByteArray token = database.createToken();

    // A backlog in the dataset's export format, every row distinct (imports skip repeats).
    constexpr int kBacklog = 600;
    const QString csv = m_dir->filePath(u"backlog.csv"_s);
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("subject,body,answer,type,queue,priority,language,"
                   "tag_1,tag_2,tag_3,tag_4,tag_5,tag_6,tag_7,tag_8\n");
        static const char *const kTopics[] = {
            "I was charged twice on my invoice, please refund the payment",
            "The app crashes with an error when I open the settings page",
            "How do I reset my password for the account login",
            "Our VPN disconnects every few minutes since the update",
        };
        for (int i = 0; i < kBacklog; ++i) {
            file.write(QByteArray("Backlog case ") + QByteArray::number(i) + ",\"" +
                       kTopics[i % 4] + " (case " + QByteArray::number(i) +
                       ").\",,Incident,Technical Support,medium,en,,,,,,,,\n");
        }
    }
    const auto importer = newProcess(u"import"_s);
    importer->start({u"import"_s, csv, u"--database"_s, database.uri()});
    QVERIFY2(importer->waitForFinished(60'000), importer->describe().constData());
    QVERIFY2(importer->exitStatus() == QProcess::NormalExit && importer->exitCode() == 0,
             importer->describe().constData());
    QString error;
    QCOMPARE(count(database, u"SELECT COUNT(*) FROM tickets"_s, &error), kBacklog);
    QCOMPARE(count(database, u"SELECT COUNT(*) FROM classification_jobs"_s, &error), kBacklog);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    std::vector<std::unique_ptr<ConsoleProcess>> nodes;
    for (int i = 0; i < 3; ++i) {
        nodes.push_back(newProcess(u"node%1"_s.arg(i)));
        nodes.back()->start({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, database.uri()},
                            rulesOnly());
    }
    for (const auto &node : nodes)
        QVERIFY2(node->waitForPort() != 0, node->describe().constData());

    // Seconds alone; a ceiling for a machine busy with the rest of the suite.
    QTRY_COMPARE_WITH_TIMEOUT(
        count(database, u"SELECT COUNT(*) FROM classification_jobs"_s, &error), 0, 90'000);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qint64 classifiedByNodes = 0;
    QStringList shares;
    for (const auto &node : nodes) {
        HttpClient client(node->baseUrl());
        client.setBearerToken(token);
        const auto classification = [&client] {
            return client.get(u"/health"_s).json().value(u"classification"_s).toObject();
        };
        // Each node re-counts the queue every few seconds, whoever emptied it.
        QTRY_COMPARE_WITH_TIMEOUT(classification().value(u"pending"_s).toInteger(-1), 0, 10'000);
        QCOMPARE(classification().value(u"failed"_s).toInteger(-1), 0);
        const qint64 share = classification().value(u"classified_since_start"_s).toInteger();
        classifiedByNodes += share;
        shares.append(QString::number(share));
    }
    qInfo("Tickets classified by each node: %s", qPrintable(shares.join(u", "_s)));

    const QVariantList twice = database.column(QString::fromLatin1(kClassifiedTwice), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(twice.isEmpty(),
             qPrintable(u"%1 tickets classified more than once, e.g. %2"_s.arg(twice.size())
                            .arg(twice.value(0).toLongLong())));
    QCOMPARE(count(database, QString::fromLatin1(kUnclassified), &error), 0);
    QCOMPARE(count(database, u"SELECT COUNT(*) FROM classifications"_s, &error), kBacklog);
    QCOMPARE(count(database, u"SELECT COUNT(*) FROM classifications WHERE provider <> 'rules'"_s,
                   &error),
             0);
    // Each node counts only the results it stored: together exactly the backlog.
    QCOMPARE(classifiedByNodes, kBacklog);

    for (const auto &node : nodes)
        QVERIFY2(node->stop(), node->describe().constData());
}

void TestTeamDeployment::killedNodeLosesNoAcknowledgedTicketAndItsJobsAreTakenOver()
{
    TeamDatabase database;
    QVERIFY2(database.isValid(), qPrintable(database.errorString()));
    const QByteArray token = database.createToken();

    // Node A classifies through a remote provider that takes the request and never answers (a
    // hung AI service), so at the kill it holds the jobs it took; B classifies with the rules.
    QTcpServer silentProvider;
    QVERIFY(silentProvider.listen(QHostAddress::LocalHost));
    QProcessEnvironment slowRemote;
    slowRemote.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"remote"_s);
    slowRemote.insert(u"SUPPORT_CONSOLE_AI_URL"_s,
                      u"http://127.0.0.1:%1/v1"_s.arg(silentProvider.serverPort()));
    slowRemote.insert(u"SUPPORT_CONSOLE_AI_MODEL"_s, u"hung-model"_s);
    // The lease after which another node takes a dead node's jobs (branch leases): short here,
    // so that the takeover fits the test. The name is the one proposed for its setting.
    constexpr int kLeaseSeconds = 3;
    constexpr int kLeaseMs = kLeaseSeconds * 1000;
    slowRemote.insert(u"SUPPORT_CONSOLE_AI_LEASE_SECONDS"_s, QString::number(kLeaseSeconds));
    QProcessEnvironment rules = rulesOnly();
    rules.insert(u"SUPPORT_CONSOLE_AI_LEASE_SECONDS"_s, QString::number(kLeaseSeconds));

    const auto a = newProcess(u"a"_s);
    const auto b = newProcess(u"b"_s);
    QVERIFY2(a->startNode(database.uri(), slowRemote), a->describe().constData());
    QVERIFY2(b->startNode(database.uri(), rules), b->describe().constData());

    // As many POSTs in flight as the client's connections to a host allow, until the kill.
    QNetworkAccessManager manager;
    QHash<qint64, QString> acknowledged;
    QHash<int, int> answersBeforeKill; // status -> how many; 0 is a network error
    int sent = 0;
    int inFlight = 0;
    bool killed = false;
    std::function<void()> post = [&] {
        const QString text = u"Load ticket %1 must survive the kill"_s.arg(sent++);
        QNetworkRequest request(a->baseUrl().resolved(QUrl(u"/requests"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + token);
        request.setTransferTimeout(10'000);
        QNetworkReply *reply = manager.post(request, json({{u"text"_s, text}}));
        ++inFlight;
        connect(reply, &QNetworkReply::finished, this, [&, reply, text] {
            --inFlight;
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (!killed)
                ++answersBeforeKill[status];
            if (status == 201) {
                const qint64 id =
                    QJsonDocument::fromJson(reply->readAll()).object().value(u"id"_s).toInteger();
                if (id > 0)
                    acknowledged.insert(id, text);
            }
            if (!killed)
                post();
        });
    };
    // Whatever way this function is left, no reply calls back into its dead locals.
    const auto endLoad = qScopeGuard([&] {
        killed = true;
        for (QNetworkReply *reply : manager.findChildren<QNetworkReply *>()) {
            disconnect(reply, nullptr, this, nullptr);
            reply->abort();
        }
    });
    for (int i = 0; i < 6; ++i)
        post();
    QTest::qWait(1000);
    const pid_t pidA = pid_t(a->processId());
    a->kill();
    killed = true;
    QCOMPARE(a->exitStatus(), QProcess::CrashExit);
    QTRY_COMPARE_WITH_TIMEOUT(inFlight, 0, 15'000);
    qInfo("%d tickets acknowledged by node A in about a second, %d requests sent",
          int(acknowledged.size()), sent);

    QString error;
    // The jobs node A held when it died (none without leases in the schema).
    const bool leases = count(database,
                              u"SELECT COUNT(*) FROM information_schema.columns WHERE table_name = "
                              "'classification_jobs' AND column_name = 'lease_until'"_s,
                              &error) == 1;
    QVariantList heldByA;
    qint64 leaseEndsMs = 0;
    if (leases) {
        const QString held = u"FROM classification_jobs WHERE lease_owner LIKE '%:%1:%' "
                             "AND lease_until IS NOT NULL"_s.arg(pidA);
        heldByA = database.column(u"SELECT ticket_id "_s + held, &error);
        leaseEndsMs = count(database, u"SELECT COALESCE(MAX(lease_until), 0) "_s + held, &error);
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // Before the kill every answer was a 201: no request failed on the server's side.
    QVERIFY2(answersBeforeKill.size() == 1 && answersBeforeKill.contains(201),
             qPrintable(u"answers before the kill (status: count): %1"_s.arg([&] {
                 QStringList parts;
                 for (auto it = answersBeforeKill.cbegin(); it != answersBeforeKill.cend(); ++it)
                     parts.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
                 return parts.join(u", "_s);
             }())));

    QVERIFY2(acknowledged.size() >= 20, "the load never reached node A");

    // Every acknowledged ticket, read from the surviving node.
    HttpClient clientB(b->baseUrl());
    clientB.setBearerToken(token);
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
        const HttpClient::Response response = clientB.get(u"/requests/%1"_s.arg(it.key()));
        QVERIFY2(response.status == 200, qPrintable(u"ticket %1: %2 %3"_s.arg(it.key())
                                                        .arg(response.status)
                                                        .arg(QString::fromUtf8(response.body))));
        QCOMPARE(response.json().value(u"body"_s).toString(), it.value());
    }

    // Node B finishes node A's jobs: at once without leases, after the lease with them.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 waitMs = std::max<qint64>(leaseEndsMs - nowMs, 0) + 20'000;
    if (waitMs > 45'000) {
        QSKIP(qPrintable(
            u"node A's jobs are leased until %1 s from now: SUPPORT_CONSOLE_AI_LEASE_SECONDS "
            "was not applied"_s.arg((leaseEndsMs - nowMs) / 1000)));
    }
    const QString unclassifiedAcknowledged =
        u"SELECT COUNT(*) FROM tickets t WHERE t.id IN (%1) AND NOT EXISTS "
        "(SELECT 1 FROM classifications c WHERE c.ticket_id = t.id)"_s.arg([&] {
            QStringList ids;
            for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it)
                ids.append(QString::number(it.key()));
            return ids.join(u',');
        }());
    QTRY_COMPARE_WITH_TIMEOUT(count(database, unclassifiedAcknowledged, &error), 0, int(waitMs));
    QTRY_COMPARE_WITH_TIMEOUT(
        count(database, u"SELECT COUNT(*) FROM classification_jobs"_s, &error), 0, 5'000);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QVariantList twice = database.column(QString::fromLatin1(kClassifiedTwice), &error);
    QVERIFY2(twice.isEmpty(),
             qPrintable(u"%1 tickets classified more than once"_s.arg(twice.size())));
    QCOMPARE(count(database, QString::fromLatin1(kUnclassified), &error), 0);
    // The hung provider never answered: node B, with the rules, classified everything.
    QCOMPARE(count(database, u"SELECT COUNT(*) FROM classifications WHERE provider <> 'rules'"_s,
                   &error),
             0);

    if (leases) {
        // A's jobs stayed A's until their lease ran out, then B took them.
        qInfo("node A held %d leased jobs at the kill", int(heldByA.size()));
        for (const QVariant &ticketId : std::as_const(heldByA)) {
            const qint64 finishedAt =
                count(database,
                      u"SELECT MIN(created_at) FROM classifications WHERE ticket_id = %1"_s.arg(
                          ticketId.toLongLong()),
                      &error);
            QVERIFY2(finishedAt >= leaseEndsMs - kLeaseMs,
                     qPrintable(u"ticket %1 was taken from the dead node before its lease "
                                "ran out"_s.arg(ticketId.toLongLong())));
        }
    } else {
        qInfo("No classification leases in this schema (branch leases): node B took node A's "
              "jobs without waiting");
    }
    QVERIFY2(b->stop(), b->describe().constData());
}

void TestTeamDeployment::manyNodesMigrateAFreshDatabaseAtOnce()
{
    TeamDatabase database;
    QVERIFY2(database.isValid(), qPrintable(database.errorString()));
    const QByteArray token = database.createToken();
    constexpr int kNodes = 6;
    std::vector<std::unique_ptr<ConsoleProcess>> nodes;
    for (int i = 0; i < kNodes; ++i)
        nodes.push_back(newProcess(u"node%1"_s.arg(i)));
    // All at the same moment, on a database with no table at all.
    for (const auto &node : nodes) {
        node->start({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, database.uri()},
                    rulesOnly());
    }

    int serving = 0;
    int latestVersion = 0;
    for (const auto &node : nodes) {
        if (node->waitForPort() != 0) {
            ++serving;
            HttpClient client(node->baseUrl());
            client.setBearerToken(token);
            const HttpClient::Response health = client.get(u"/health"_s);
            QVERIFY2(health.status == 200, node->describe().constData());
            const int version =
                health.json().value(u"database"_s).toObject().value(u"schema_version"_s).toInt();
            QVERIFY(version > 0);
            QVERIFY2(latestVersion == 0 || version == latestVersion, node->describe().constData());
            latestVersion = version;
            QVERIFY2(client.get(u"/requests"_s).status == 200, node->describe().constData());
            continue;
        }
        // A node that did not come up must have said why and exited; never crashed, never
        // stumbled over another node's migration.
        QVERIFY2(node->waitForFinished(10'000), node->describe().constData());
        QVERIFY2(node->exitStatus() == QProcess::NormalExit && node->exitCode() == 1,
                 node->describe().constData());
        const QByteArray err = node->standardError();
        QVERIFY2(err.contains("support-console: "), node->describe().constData());
        for (const char *collision : {"Migration", "already exists", "duplicate key"})
            QVERIFY2(!err.contains(collision), node->describe().constData());
    }
    QVERIFY2(serving >= 1, "no node came up");
    qInfo("%d of %d nodes started at once came up serving", serving, kNodes);

    QString error;
    const QVariantList repeated = database.column(
        u"SELECT version FROM schema_migrations GROUP BY version HAVING COUNT(*) <> 1"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(repeated.isEmpty());
    QVariantList expected;
    for (int version = 1; version <= latestVersion; ++version)
        expected.append(version);
    const QVariantList versions =
        database.column(u"SELECT version FROM schema_migrations ORDER BY version"_s, &error);
    QCOMPARE(versions.size(), expected.size());
    for (qsizetype i = 0; i < versions.size(); ++i)
        QCOMPARE(versions.at(i).toInt(), expected.at(i).toInt());

    for (const auto &node : nodes) {
        if (node->isRunning())
            QVERIFY2(node->stop(), node->describe().constData());
    }
}

QTEST_GUILESS_MAIN(TestTeamDeployment)
#include "tst_teamdeployment.moc"
