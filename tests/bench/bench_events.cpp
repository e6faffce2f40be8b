// GET /events under load: how soon a change reaches its subscribers, and what serving them
// costs the server. The program runs as its own process, so that its CPU time is its own; POSTs
// come at a fixed rate over keep-alive connections and each subscriber reads its stream over a
// raw socket. Latency is counted from when the POST was sent, which is before its commit, so it
// is an upper bound of the time from commit to delivery.

#include "jsonkeys.h"
#include "rawhttpconnection.h"
#include "serverprocess.h"
#include "sseparser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace {

// One client of GET /events: the time each ticket's "ticket.created" reached it.
class Subscriber final
{
public:
    Subscriber(quint16 port, const QByteArray &token, const QElapsedTimer &clock)
        : m_clock(clock)
    {
        QObject::connect(&m_socket, &QTcpSocket::connected, &m_socket, [this, port, token] {
            m_socket.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                           "\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { read(); });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool isSubscribed() const { return m_subscribed; }
    const QHash<qint64, qint64> &arrivals() const { return m_arrivals; }
    qint64 events() const { return m_events; }

private:
    void read()
    {
        QByteArray bytes = m_socket.readAll();
        if (!m_headRead) {
            m_head += bytes;
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_headRead = true;
            bytes = m_head.mid(end + 4);
        }
        if (bytes.contains(": subscribed"))
            m_subscribed = true;
        const qint64 now = m_clock.elapsed();
        for (const SseEvent &event : m_parser.feed(bytes)) {
            ++m_events;
            if (event.type != u"ticket.created")
                continue;
            const qint64 ticketId = QJsonDocument::fromJson(event.data.toUtf8())
                                        .object()[JsonKey::ticketId]
                                        .toInteger();
            m_arrivals.insert(ticketId, now);
        }
    }

    const QElapsedTimer &m_clock;
    QTcpSocket m_socket;
    QByteArray m_head;
    bool m_headRead = false;
    bool m_subscribed = false;
    SseParser m_parser;
    QHash<qint64, qint64> m_arrivals;
    qint64 m_events = 0;
};

struct Phase
{
    double seconds = 0;
    qint64 posted = 0;
    qint64 failed = 0;
    double serverCpuSeconds = 0;
    // Ticket id -> when its POST was sent.
    QHash<qint64, qint64> sentAt;
};

// POSTs at `rate` per second for `seconds` over `connections` keep-alive connections.
Phase postAtRate(ServerProcess &server, quint16 port, const QByteArray &token, int rate,
                 double seconds, int connections, const QElapsedTimer &clock)
{
    Phase phase;
    std::vector<std::unique_ptr<RawHttpConnection>> pool;
    QHash<RawHttpConnection *, qint64> sending;
    for (int i = 0; i < connections; ++i) {
        pool.push_back(std::make_unique<RawHttpConnection>(port, token));
        RawHttpConnection *connection = pool.back().get();
        QObject::connect(connection, &RawHttpConnection::responseReceived, connection,
                         [&phase, &sending, connection](int status, const QByteArray &body) {
                             const qint64 sent = sending.take(connection);
                             if (status != 201) {
                                 ++phase.failed;
                                 return;
                             }
                             const qint64 id =
                                 QJsonDocument::fromJson(body).object()[JsonKey::id].toInteger();
                             phase.sentAt.insert(id, sent);
                         });
        connection->open();
    }
    runEventLoopUntil(
        [&] {
            return std::all_of(pool.cbegin(), pool.cend(),
                               [](const auto &c) { return c->isIdle() || c->isClosed(); });
        },
        10'000);

    const double cpuBefore = server.cpuSeconds();
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer pace;
    pace.setInterval(2);
    QObject::connect(&pace, &QTimer::timeout, [&] {
        const qint64 due = qint64(double(rate) * double(elapsed.elapsed()) / 1000.0);
        for (auto &connection : pool) {
            if (phase.posted >= due)
                break;
            if (!connection->isIdle())
                continue;
            ++phase.posted;
            sending.insert(connection.get(), clock.elapsed());
            connection->send("POST", "/requests",
                             R"({"subject":"Events benchmark","body":"The invoice export stops )"
                             R"(at page 3 with error E1234."})");
        }
    });
    pace.start();
    runEventLoopUntil([&] { return elapsed.elapsed() >= qint64(seconds * 1000); },
                      int(seconds * 1000) + 1000);
    pace.stop();
    runEventLoopUntil([&] { return sending.isEmpty(); }, 10'000);
    phase.seconds = double(elapsed.elapsed()) / 1000.0;
    phase.serverCpuSeconds = server.cpuSeconds() - cpuBefore;
    return phase;
}

struct Latency
{
    qint64 samples = 0;
    qint64 missing = 0;
    double p50 = 0;
    double p95 = 0;
    double max = 0;
};

Latency latencyOf(const Phase &phase, const std::vector<std::unique_ptr<Subscriber>> &subscribers)
{
    QList<qint64> delays;
    Latency latency;
    for (const auto &subscriber : subscribers) {
        for (auto it = phase.sentAt.cbegin(); it != phase.sentAt.cend(); ++it) {
            const auto arrived = subscriber->arrivals().constFind(it.key());
            if (arrived == subscriber->arrivals().cend())
                ++latency.missing;
            else
                delays.append(std::max<qint64>(0, *arrived - it.value()));
        }
    }
    std::sort(delays.begin(), delays.end());
    latency.samples = delays.size();
    if (!delays.isEmpty()) {
        const auto at = [&delays](double q) {
            return double(delays.at(
                std::min<qsizetype>(delays.size() - 1, qsizetype(q * double(delays.size())))));
        };
        latency.p50 = at(0.50);
        latency.p95 = at(0.95);
        latency.max = double(delays.last());
    }
    return latency;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_events"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures how soon GET /events subscribers hear of new tickets and what serving them "
        "costs the server, at a fixed POST rate."));
    parser.addHelpOption();
    const QCommandLineOption serverOption(QStringLiteral("server"),
                                          QStringLiteral("The support-console program."),
                                          QStringLiteral("path"));
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("SQLite file or PostgreSQL URI (default: a new SQLite file)."),
        QStringLiteral("path"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("POSTs per second (1000)."),
                                        QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption subscribersOption(QStringLiteral("subscribers"),
                                               QStringLiteral("Subscribers under load (20)."),
                                               QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Length of each loaded phase (15)."),
                                           QStringLiteral("S"), QStringLiteral("15"));
    parser.addOptions({serverOption, databaseOption, rateOption, subscribersOption, secondsOption});
    parser.process(app);
    const int rate = parser.value(rateOption).toInt();
    const int subscriberCount = parser.value(subscribersOption).toInt();
    const double seconds = parser.value(secondsOption).toDouble();
    const QString program = parser.value(serverOption);
    if (program.isEmpty() || rate < 1 || subscriberCount < 1 || seconds <= 0) {
        err << "bench_events: needs --server PATH, --rate >= 1, --subscribers >= 1, --seconds > 0"
            << Qt::endl;
        return 2;
    }
    QTemporaryDir scratch;
    const QString database = parser.isSet(databaseOption)
                                 ? parser.value(databaseOption)
                                 : scratch.filePath(QStringLiteral("events.db"));
    QString error;
    // Created before the server starts, which migrates a new database first.
    ServerProcess migrate(program, database, scratch.filePath(QStringLiteral("server.log")));
    if (migrate.start(&error) == 0) {
        err << "bench_events: " << error << Qt::endl;
        return 1;
    }
    migrate.terminate();
    const QByteArray token =
        ServerProcess::createToken(program, database, QStringLiteral("bench-events"),
                                   QStringLiteral("tickets:write,events:read"), &error);
    if (token.isEmpty()) {
        err << "bench_events: " << error << Qt::endl;
        return 1;
    }
    ServerProcess server(program, database, scratch.filePath(QStringLiteral("server.log")));
    const quint16 port = server.start(&error);
    if (port == 0) {
        err << "bench_events: " << error << Qt::endl;
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    constexpr int kConnections = 32;
    const auto subscribe = [&](int count) {
        std::vector<std::unique_ptr<Subscriber>> subscribers;
        for (int i = 0; i < count; ++i)
            subscribers.push_back(std::make_unique<Subscriber>(port, token, clock));
        runEventLoopUntil(
            [&] {
                return std::all_of(subscribers.cbegin(), subscribers.cend(),
                                   [](const auto &s) { return s->isSubscribed(); });
            },
            10'000);
        return subscribers;
    };
    const auto report = [&](const QString &name, const Phase &phase, const Latency *latency) {
        out << QStringLiteral(
                   "%1: %2 POST/s for %3 s (%4 failed), server CPU %5 s = %6 % of a core")
                   .arg(name)
                   .arg(double(phase.posted) / phase.seconds, 0, 'f', 0)
                   .arg(phase.seconds, 0, 'f', 1)
                   .arg(phase.failed)
                   .arg(phase.serverCpuSeconds, 0, 'f', 2)
                   .arg(100.0 * phase.serverCpuSeconds / phase.seconds, 0, 'f', 1);
        if (latency)
            out << QStringLiteral("; delivery p50 %1 ms, p95 %2 ms, max %3 ms over %4 deliveries, "
                                  "%5 missing")
                       .arg(latency->p50)
                       .arg(latency->p95)
                       .arg(latency->max)
                       .arg(latency->samples)
                       .arg(latency->missing);
        out << Qt::endl;
    };

    {
        const auto one = subscribe(1);
        const Phase quiet = postAtRate(server, port, token, 20, 5, 4, clock);
        runEventLoopUntil([] { return false; }, 1500);
        const Latency latency = latencyOf(quiet, one);
        report(QStringLiteral("1 subscriber, light load"), quiet, &latency);
    }
    const Phase baseline = postAtRate(server, port, token, rate, seconds, kConnections, clock);
    report(QStringLiteral("no subscribers"), baseline, nullptr);
    const auto many = subscribe(subscriberCount);
    const Phase loaded = postAtRate(server, port, token, rate, seconds, kConnections, clock);
    runEventLoopUntil([] { return false; }, 2000);
    const Latency latency = latencyOf(loaded, many);
    report(QStringLiteral("%1 subscribers").arg(subscriberCount), loaded, &latency);
    const double baseCpu = baseline.serverCpuSeconds / baseline.seconds;
    const double loadedCpu = loaded.serverCpuSeconds / loaded.seconds;
    out << QStringLiteral("server CPU with %1 subscribers: %2 % more than without")
               .arg(subscriberCount)
               .arg(100.0 * (loadedCpu / baseCpu - 1.0), 0, 'f', 1)
        << Qt::endl;
    return latency.missing == 0 ? 0 : 1;
}
