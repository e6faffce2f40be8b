// Durability under kill -9: every POST the API acknowledged with 201 must still be readable,
// unchanged, after the program is killed mid-load and started again on the same database.

#include "jsonkeys.h"
#include "rawhttpconnection.h"
#include "serverprocess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace {

constexpr int kDrainTimeoutMs = 15'000;
constexpr int kMaxReconnects = 1000;
constexpr int kMissingIdsShown = 20;

struct Acknowledged
{
    QString subject;
    QString body;
    QJsonObject created; // the 201 answer
};

// What makes a ticket "the same" after the restart. Status, category and updated_at may change
// legitimately (a classifier could run), so they are not compared.
bool sameTicket(const Acknowledged &expected, const QJsonObject &stored)
{
    for (const QLatin1String key : {JsonKey::id, JsonKey::subject, JsonKey::body, JsonKey::form,
                                    JsonKey::source, JsonKey::createdAt}) {
        if (expected.created.value(key) != stored.value(key))
            return false;
    }
    return stored.value(JsonKey::subject).toString() == expected.subject &&
           stored.value(JsonKey::body).toString() == expected.body;
}

struct LoadResult
{
    QHash<qint64, Acknowledged> acknowledged;
    qint64 sent = 0;
    qint64 unanswered = 0; // in flight when the server died
    qint64 rejected = 0;   // answered, but not with 201
    qint64 badAnswers = 0; // 201 whose ticket differs from the request, or a repeated id
    qint64 reconnects = 0;
    qint64 acknowledgedAtKill = 0;
    double loadSeconds = 0;
};

// POSTs unique tickets over `connectionCount` connections until the server is SIGKILLed.
LoadResult runLoad(ServerProcess &server, quint16 port, const QByteArray &token,
                   int connectionCount, int killAfterMs, qint64 maxRequests)
{
    LoadResult result;
    // Unique per run, so ticket texts never repeat across runs on the same database.
    const QString runTag = QString::number(QRandomGenerator::system()->generate64(), 36);
    QHash<RawHttpConnection *, Acknowledged> pending;
    QList<RawHttpConnection *> connections;
    bool killed = false;

    std::function<void(RawHttpConnection *)> sendNext = [&](RawHttpConnection *connection) {
        if (killed || result.sent >= maxRequests || !connection->isIdle())
            return;
        const qint64 n = ++result.sent;
        Acknowledged request;
        request.subject = QStringLiteral("Durability probe %1-%2").arg(runTag).arg(n);
        request.body = QStringLiteral("Request %1 of run %2: the invoice export stops at page %3 "
                                      "with error E%4.")
                           .arg(n)
                           .arg(runTag)
                           .arg(n % 97 + 1)
                           .arg(n * 7919 % 100000);
        const QJsonObject json{{JsonKey::subject, request.subject}, {JsonKey::body, request.body}};
        pending.insert(connection, request);
        connection->send(QByteArrayLiteral("POST"), QByteArrayLiteral("/requests"),
                         QJsonDocument(json).toJson(QJsonDocument::Compact));
    };

    std::function<void()> addConnection = [&] {
        if (killed)
            return;
        auto *connection = new RawHttpConnection(port, token);
        connections.append(connection);
        QObject::connect(connection, &RawHttpConnection::opened, connection,
                         [&, connection] { sendNext(connection); });
        QObject::connect(
            connection, &RawHttpConnection::responseReceived, connection,
            [&, connection](int status, const QByteArray &body) {
                Acknowledged request = pending.take(connection);
                if (status != 201) {
                    ++result.rejected;
                } else {
                    request.created = QJsonDocument::fromJson(body).object();
                    const qint64 id = request.created.value(JsonKey::id).toInteger();
                    if (id <= 0 || result.acknowledged.contains(id) ||
                        request.created.value(JsonKey::subject).toString() != request.subject ||
                        request.created.value(JsonKey::body).toString() != request.body) {
                        ++result.badAnswers;
                    } else {
                        result.acknowledged.insert(id, request);
                    }
                }
                sendNext(connection);
            });
        QObject::connect(connection, &RawHttpConnection::closed, connection,
                         [&, connection](bool requestInFlight, const QString &) {
                             pending.remove(connection);
                             if (requestInFlight)
                                 ++result.unanswered;
                             // Keep the load at full strength until the kill.
                             if (!killed && result.reconnects < kMaxReconnects) {
                                 ++result.reconnects;
                                 QTimer::singleShot(0, connection, addConnection);
                             }
                         });
        connection->open();
    };

    QElapsedTimer load;
    load.start();
    for (int i = 0; i < connectionCount; ++i)
        addConnection();
    QTimer::singleShot(killAfterMs, connections.constFirst(), [&] {
        result.acknowledgedAtKill = result.acknowledged.size();
        killed = true;
        server.kill();
    });
    runEventLoopUntil([&] { return killed; }, killAfterMs + 30'000);
    if (!killed) {
        killed = true;
        server.kill();
    }
    result.loadSeconds = double(load.nsecsElapsed()) / 1e9;
    // Answers already on the wire when the server died are acknowledgements too: drain them.
    runEventLoopUntil(
        [&] {
            return std::all_of(connections.cbegin(), connections.cend(),
                               [](const RawHttpConnection *c) { return c->isClosed(); });
        },
        kDrainTimeoutMs);
    qDeleteAll(connections);
    return result;
}

struct VerifyResult
{
    qint64 verified = 0;
    qint64 missing = 0;
    qint64 mismatched = 0;
    qint64 errors = 0; // neither 200 nor 404, or no answer
    QList<qint64> missingIds;
};

VerifyResult verify(quint16 port, const QByteArray &token,
                    const QHash<qint64, Acknowledged> &acknowledged, int connectionCount,
                    int timeoutMs)
{
    VerifyResult result;
    QList<qint64> ids = acknowledged.keys();
    std::sort(ids.begin(), ids.end());
    qsizetype next = 0;
    QHash<RawHttpConnection *, qint64> asking;
    QList<RawHttpConnection *> connections;

    const auto askNext = [&](RawHttpConnection *connection) {
        if (next >= ids.size() || !connection->isIdle())
            return;
        const qint64 id = ids.at(next++);
        asking.insert(connection, id);
        connection->send(QByteArrayLiteral("GET"), "/requests/" + QByteArray::number(id));
    };
    for (int i = 0; i < connectionCount; ++i) {
        auto *connection = new RawHttpConnection(port, token);
        connections.append(connection);
        QObject::connect(connection, &RawHttpConnection::opened, connection,
                         [&, connection] { askNext(connection); });
        QObject::connect(
            connection, &RawHttpConnection::responseReceived, connection,
            [&, connection](int status, const QByteArray &body) {
                const qint64 id = asking.take(connection);
                if (status == 200) {
                    if (sameTicket(acknowledged.value(id), QJsonDocument::fromJson(body).object()))
                        ++result.verified;
                    else
                        ++result.mismatched;
                } else if (status == 404) {
                    ++result.missing;
                    if (result.missingIds.size() < kMissingIdsShown)
                        result.missingIds.append(id);
                } else {
                    ++result.errors;
                }
                askNext(connection);
            });
        QObject::connect(connection, &RawHttpConnection::closed, connection,
                         [&, connection](bool requestInFlight, const QString &) {
                             if (requestInFlight && asking.remove(connection))
                                 ++result.errors;
                         });
        connection->open();
    }
    const auto answered = [&] {
        return result.verified + result.missing + result.mismatched + result.errors;
    };
    runEventLoopUntil(
        [&] {
            return answered() == ids.size() ||
                   std::all_of(connections.cbegin(), connections.cend(),
                               [](const RawHttpConnection *c) { return c->isClosed(); });
        },
        timeoutMs);
    // Whatever was never asked or never answered is unverified, which fails the run.
    result.errors += ids.size() - answered();
    qDeleteAll(connections);
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_durability"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "POSTs tickets over many connections, kills the server with SIGKILL mid-load, restarts "
        "it on the same database and checks that every acknowledged ticket is still there."));
    parser.addHelpOption();
    const QCommandLineOption serverOption(QStringLiteral("server"),
                                          QStringLiteral("The support-console program."),
                                          QStringLiteral("path"));
    const QCommandLineOption databaseOption(QStringLiteral("database"),
                                            QStringLiteral("SQLite file (created if missing)."),
                                            QStringLiteral("path"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"),
                                               QStringLiteral("Concurrent POST connections (50)."),
                                               QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption killAfterOption(QStringLiteral("kill-after"),
                                             QStringLiteral("Seconds of load before SIGKILL (5)."),
                                             QStringLiteral("S"), QStringLiteral("5"));
    const QCommandLineOption maxRequestsOption(
        QStringLiteral("max-requests"), QStringLiteral("Upper bound on POSTs sent (2000000)."),
        QStringLiteral("N"), QStringLiteral("2000000"));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       QStringLiteral("Append the server's stderr here."),
                                       QStringLiteral("path"));
    const QCommandLineOption tokenOption(
        QStringLiteral("token"),
        QStringLiteral("API token with tickets:read and tickets:write (default: one made with "
                       "the program's `tokens create`)."),
        QStringLiteral("secret"));
    parser.addOptions({serverOption, databaseOption, connectionsOption, killAfterOption,
                       maxRequestsOption, logOption, tokenOption});
    parser.process(app);

    bool connectionsOk = false;
    bool killAfterOk = false;
    bool maxOk = false;
    const int connectionCount = parser.value(connectionsOption).toInt(&connectionsOk);
    const double killAfter = parser.value(killAfterOption).toDouble(&killAfterOk);
    const qint64 maxRequests = parser.value(maxRequestsOption).toLongLong(&maxOk);
    const QString program = parser.value(serverOption);
    const QString database = parser.value(databaseOption);
    if (program.isEmpty() || database.isEmpty() || !connectionsOk || connectionCount < 1 ||
        connectionCount > 1000 || !killAfterOk || killAfter <= 0 || killAfter > 3600 || !maxOk ||
        maxRequests < 1) {
        err << "bench_durability: needs --server PATH --database PATH, --connections 1..1000, "
               "--kill-after 0..3600 s, --max-requests >= 1"
            << Qt::endl;
        return 2;
    }
    const QString logPath = parser.isSet(logOption) ? parser.value(logOption)
                                                    : database + QStringLiteral(".durability.log");

    QString error;
    const QByteArray token =
        parser.isSet(tokenOption)
            ? parser.value(tokenOption).toLatin1()
            : ServerProcess::createToken(program, database, QStringLiteral("bench-durability"),
                                         QStringLiteral("tickets:read,tickets:write"), &error);
    if (token.isEmpty()) {
        err << "bench_durability: no token: " << error << Qt::endl;
        return 1;
    }
    LoadResult load;
    {
        ServerProcess server(program, database, logPath);
        const quint16 port = server.start(&error);
        if (port == 0) {
            err << "bench_durability: could not start the server: " << error << Qt::endl;
            return 1;
        }
        out << "Loading with " << connectionCount << " connections on port " << port
            << ", SIGKILL after " << killAfter << " s" << Qt::endl;
        load = runLoad(server, port, token, connectionCount, int(killAfter * 1000), maxRequests);
    }
    out << "Sent " << load.sent << " POSTs in " << QString::number(load.loadSeconds, 'f', 1)
        << " s: " << load.acknowledged.size() << " acknowledged with 201 ("
        << load.acknowledgedAtKill << " before the kill signal, the rest already on the wire), "
        << load.unanswered << " unanswered at the kill, " << load.rejected << " other statuses, "
        << load.badAnswers << " bad 201 answers, " << load.reconnects << " reconnects" << Qt::endl;

    VerifyResult check;
    {
        ServerProcess server(program, database, logPath);
        QElapsedTimer restart;
        restart.start();
        const quint16 port = server.start(&error);
        if (port == 0) {
            err << "bench_durability: the server did not come back after the kill: " << error
                << Qt::endl;
            return 1;
        }
        out << "Restarted in " << restart.elapsed() << " ms on port " << port
            << "; reading back every acknowledged ticket" << Qt::endl;
        const int verifyTimeoutMs = 60'000 + int(load.acknowledged.size());
        check = verify(port, token, load.acknowledged, qMin(connectionCount, 16), verifyTimeoutMs);
        if (!server.terminate())
            err << "bench_durability: the restarted server did not stop cleanly" << Qt::endl;
    }

    QStringList shownIds;
    for (const qint64 id : std::as_const(check.missingIds))
        shownIds.append(QString::number(id));
    out << "Verified " << check.verified << " of " << load.acknowledged.size() << ": missing "
        << check.missing << ", changed " << check.mismatched << ", unreadable " << check.errors
        << Qt::endl;
    if (!shownIds.isEmpty())
        out << "Missing ids (first " << kMissingIdsShown << "): " << shownIds.join(u' ')
            << Qt::endl;
    // One line for run.sh to parse.
    out << "DURABILITY acknowledged=" << load.acknowledged.size() << " missing=" << check.missing
        << " mismatched=" << check.mismatched << " unreadable=" << check.errors
        << " bad_answers=" << load.badAnswers << " sent=" << load.sent
        << " unanswered=" << load.unanswered
        << " load_seconds=" << QString::number(load.loadSeconds, 'f', 2) << Qt::endl;

    const bool passed = !load.acknowledged.isEmpty() && check.missing == 0 &&
                        check.mismatched == 0 && check.errors == 0 && load.badAnswers == 0;
    out << (passed ? "PASS" : "FAIL") << ": no acknowledged ticket may be lost" << Qt::endl;
    return passed ? 0 : 1;
}
