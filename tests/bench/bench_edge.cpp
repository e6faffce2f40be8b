// The API's edge under hostile and careless clients (issue 12), driven by edge.sh against a
// running node. Each mode prints one "EDGE mode=... key=value ..." line for the report:
//   hold    keeps idle and slowloris connections open (reconnecting those the server drops),
//           spread over 127.0.0.x so that no address passes the per-address cap;
//   probe   a normal client's GET /requests/{id}, paced, on one keep-alive connection and on a
//           new connection per request, with latency percentiles;
//   bodies  several huge bodies at once, by Content-Length or chunked, while sampling the
//           server's resident memory;
//   params  one request with tens of thousands of query parameters at a time, measuring the
//           server's CPU time for each from its threads' scheduler statistics.

#include "rawhttpconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <vector>

namespace {

// CPU time of every thread of a process, in nanoseconds (the first field of schedstat).
qint64 processCpuNs(qint64 pid)
{
    qint64 total = 0;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &thread : threads) {
        QFile file(tasks.filePath(thread + QStringLiteral("/schedstat")));
        if (file.open(QIODevice::ReadOnly))
            total += file.readAll().split(' ').value(0).toLongLong();
    }
    return total;
}

qint64 residentKiB(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// The status code of the first answer in the bytes received, or 0.
int statusOf(const QByteArray &received)
{
    if (!received.startsWith("HTTP/1.") || received.size() < 12)
        return 0;
    return received.mid(9, 3).toInt();
}

// Both ends of thousands of connections live in this machine: the bench needs more than the
// usual 1,024 descriptors, as the program raises its own.
void raiseOpenFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = std::min(values.size() - 1, size_t(fraction * double(values.size())));
    return values[index];
}

void emitLine(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

struct Target
{
    quint16 port = 0;
    QByteArray token;
    qint64 pid = 0;
};

// --- hold ----------------------------------------------------------------------------------------
// Idle connections send nothing; slowloris ones send a request line and then one header line a
// second, never finishing the head. A connection the server closes is opened again at once, as
// an attacker would, so the server always has the whole crowd.
class Crowd final : public QObject
{
public:
    Crowd(const Target &target, int idle, int slowloris, int firstAddress, int perAddress)
        : m_target(target)
    {
        const int total = idle + slowloris;
        for (int i = 0; i < total; ++i) {
            const QHostAddress from(
                QStringLiteral("127.0.0.%1").arg(firstAddress + i / perAddress));
            m_members.push_back({new QTcpSocket(this), from, i >= idle});
            open(m_members.back());
        }
        m_drip.setInterval(1000);
        connect(&m_drip, &QTimer::timeout, this, [this] {
            for (Member &member : m_members) {
                if (member.slow && member.socket->state() == QAbstractSocket::ConnectedState)
                    member.socket->write("X-Slow: " + QByteArray::number(++m_drips) + "\r\n");
            }
        });
        m_drip.start();
    }

    int openCount() const
    {
        return int(std::count_if(m_members.begin(), m_members.end(), [](const Member &member) {
            return member.socket->state() == QAbstractSocket::ConnectedState;
        }));
    }
    int size() const { return int(m_members.size()); }
    qint64 reconnects() const { return m_reconnects; }
    qint64 refusals() const { return m_refusals; }

private:
    struct Member
    {
        QTcpSocket *socket;
        QHostAddress from;
        bool slow;
    };

    void open(Member &member)
    {
        QTcpSocket *socket = member.socket;
        const bool slow = member.slow;
        socket->bind(member.from);
        connect(socket, &QTcpSocket::connected, this, [this, socket, slow] {
            if (slow) {
                socket->write("GET /requests/1 HTTP/1.1\r\nHost: 127.0.0.1:" +
                              QByteArray::number(m_target.port) + "\r\n");
            }
        });
        // A 429 or 503 means a cap turned this one away; it is counted, then tried again.
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const int status = statusOf(socket->readAll());
            if (status == 429 || status == 503)
                ++m_refusals;
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { reopen(socket); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
            if (socket->state() == QAbstractSocket::UnconnectedState)
                reopen(socket);
        });
        socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_target.port);
    }

    // A close by the server can bring both disconnected and errorOccurred: one reconnect.
    void reopen(QTcpSocket *socket)
    {
        if (m_reopening.contains(socket))
            return;
        m_reopening.insert(socket);
        ++m_reconnects;
        // Later, not inside the socket's own signal.
        QTimer::singleShot(0, socket, [this, socket] {
            m_reopening.remove(socket);
            for (Member &member : m_members) {
                if (member.socket == socket) {
                    socket->abort();
                    socket->bind(member.from);
                    socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_target.port);
                }
            }
        });
    }

    Target m_target;
    std::vector<Member> m_members;
    QSet<QTcpSocket *> m_reopening;
    QTimer m_drip;
    qint64 m_drips = 0;
    qint64 m_reconnects = 0;
    qint64 m_refusals = 0;
};

int hold(const Target &target, int idle, int slowloris, int seconds)
{
    constexpr int kFirstAddress = 2; // 127.0.0.1 is the normal clients'
    constexpr int kPerAddress = 200; // under the server's default cap of 256
    Crowd crowd(target, idle, slowloris, kFirstAddress, kPerAddress);
    int lowest = crowd.size();
    bool ready = false;
    QElapsedTimer clock;
    clock.start();
    QTimer sampler;
    sampler.setInterval(100);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const int open = crowd.openCount();
        if (!ready && open == crowd.size()) {
            ready = true;
            emitLine(QStringLiteral("HOLDING open=%1").arg(open));
        }
        if (ready)
            lowest = std::min(lowest, open);
        if (clock.elapsed() >= seconds * 1000LL)
            QCoreApplication::quit();
    });
    sampler.start();
    QCoreApplication::exec();
    emitLine(QStringLiteral("EDGE mode=hold idle=%1 slowloris=%2 ready=%3 lowest_open=%4 "
                            "reconnects=%5 refusals=%6 seconds=%7")
                 .arg(idle)
                 .arg(slowloris)
                 .arg(ready ? 1 : 0)
                 .arg(lowest)
                 .arg(crowd.reconnects())
                 .arg(crowd.refusals())
                 .arg(seconds));
    return ready ? 0 : 1;
}

// --- probe ---------------------------------------------------------------------------------------
// A normal integration: GET /requests/{random id} `rate` times a second for `seconds`, first on
// one keep-alive connection, then on a new connection each time.
class Probe final : public QObject
{
public:
    Probe(const Target &target, int tickets, int rate)
        : m_target(target)
        , m_tickets(tickets)
    {
        m_pace.setInterval(std::max(1, 1000 / rate));
        connect(&m_pace, &QTimer::timeout, this, &Probe::tick);
    }

    void run(bool keepAlive, int seconds, const std::function<void()> &done)
    {
        m_keepAlive = keepAlive;
        m_latenciesMs.clear();
        m_errors = 0;
        m_done = done;
        m_deadline.start();
        m_seconds = seconds;
        m_pace.start();
    }

    QString report(const QString &mode) const
    {
        // No answer at all is no latency, not a latency of 0.
        const auto at = [this](double fraction) {
            return m_latenciesMs.empty()
                       ? QStringLiteral("none")
                       : QString::number(percentile(m_latenciesMs, fraction), 'f', 2);
        };
        return QStringLiteral("EDGE mode=probe connection=%1 requests=%2 p50_ms=%3 p99_ms=%4 "
                              "max_ms=%5 errors=%6")
            .arg(mode)
            .arg(m_latenciesMs.size())
            .arg(at(0.50), at(0.99), at(1.0))
            .arg(m_errors);
    }

private:
    void tick()
    {
        if (m_deadline.elapsed() >= m_seconds * 1000LL) {
            if (!m_busy) {
                m_pace.stop();
                m_connection.reset();
                m_done();
            }
            return;
        }
        // Paced, not back to back: a request due while the last is out waits for it.
        if (m_busy)
            return;
        m_busy = true;
        m_started.start();
        if (m_connection && m_connection->isIdle()) {
            send();
            return;
        }
        m_connection = std::make_unique<RawHttpConnection>(m_target.port, m_target.token);
        connect(m_connection.get(), &RawHttpConnection::opened, this, &Probe::send);
        connect(m_connection.get(), &RawHttpConnection::responseReceived, this,
                [this](int status, const QByteArray &) {
                    if (status == 200)
                        m_latenciesMs.push_back(double(m_started.nsecsElapsed()) / 1e6);
                    else
                        ++m_errors;
                    finish();
                });
        connect(m_connection.get(), &RawHttpConnection::closed, this, [this](bool inFlight) {
            if (inFlight) {
                ++m_errors;
                finish();
            }
        });
        m_connection->open();
    }

    void send()
    {
        const int id = int(QRandomGenerator::global()->bounded(m_tickets)) + 1;
        m_connection->send("GET", "/requests/" + QByteArray::number(id));
    }

    void finish()
    {
        m_busy = false;
        // Not deleted inside its own signal; and gone now, so the next tick cannot reuse it.
        if (!m_keepAlive)
            m_connection.release()->deleteLater();
    }

    Target m_target;
    int m_tickets;
    QTimer m_pace;
    QElapsedTimer m_deadline;
    QElapsedTimer m_started;
    int m_seconds = 0;
    bool m_keepAlive = true;
    bool m_busy = false;
    std::unique_ptr<RawHttpConnection> m_connection;
    std::vector<double> m_latenciesMs;
    qint64 m_errors = 0;
    std::function<void()> m_done;
};

int probe(const Target &target, int tickets, int rate, int seconds)
{
    Probe probe(target, tickets, rate);
    probe.run(true, seconds, [&] {
        emitLine(probe.report(QStringLiteral("keep-alive")));
        probe.run(false, seconds, [&] {
            emitLine(probe.report(QStringLiteral("new")));
            QCoreApplication::quit();
        });
    });
    return QCoreApplication::exec();
}

// --- bodies --------------------------------------------------------------------------------------
// `count` clients each announce and send `megabytes` of body as fast as the server reads it,
// until it answers or closes. The server's resident memory is sampled every 5 ms throughout.
int bodies(const Target &target, int count, int megabytes, bool chunked)
{
    const qint64 total = qint64(megabytes) * 1000 * 1000;
    static constexpr qint64 kPiece = 1024 * 1024;
    const QByteArray piece(kPiece, 'x');
    QByteArray head =
        "POST /requests HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(target.port) +
        "\r\nAuthorization: Bearer " + target.token + "\r\nContent-Type: application/json\r\n";
    head += chunked ? QByteArray("Transfer-Encoding: chunked\r\n\r\n")
                    : "Content-Length: " + QByteArray::number(total) + "\r\n\r\n";

    struct Client
    {
        QTcpSocket *socket = nullptr;
        qint64 sent = 0;
        int status = 0;
        bool finished = false;
    };
    std::vector<Client> clients(static_cast<size_t>(count));
    const qint64 before = residentKiB(target.pid);
    qint64 peak = before;
    QElapsedTimer clock;
    clock.start();

    const auto checkDone = [&] {
        if (std::all_of(clients.begin(), clients.end(), [](const Client &c) { return c.finished; }))
            QCoreApplication::quit();
    };
    for (Client &client : clients) {
        client.socket = new QTcpSocket(QCoreApplication::instance());
        QTcpSocket *socket = client.socket;
        Client *self = &client;
        // Keeps a few pieces queued, so the client sends as fast as the server takes them.
        const auto feed = [&piece, socket, self, total, chunked] {
            while (self->sent < total && socket->bytesToWrite() < 4 * kPiece &&
                   socket->state() == QAbstractSocket::ConnectedState) {
                const qint64 size = std::min(kPiece, total - self->sent);
                if (chunked)
                    socket->write(QByteArray::number(size, 16) + "\r\n");
                socket->write(piece.left(size));
                if (chunked)
                    socket->write("\r\n");
                self->sent += size;
                if (chunked && self->sent == total)
                    socket->write("0\r\n\r\n");
            }
        };
        QObject::connect(socket, &QTcpSocket::connected, [socket, head, feed] {
            socket->write(head);
            feed();
        });
        QObject::connect(socket, &QTcpSocket::bytesWritten, feed);
        QObject::connect(socket, &QTcpSocket::readyRead, [socket, self] {
            if (self->status == 0)
                self->status = statusOf(socket->peek(16));
        });
        const auto finish = [self, checkDone] {
            if (!self->finished) {
                self->finished = true;
                checkDone();
            }
        };
        QObject::connect(socket, &QTcpSocket::disconnected, finish);
        QObject::connect(socket, &QTcpSocket::errorOccurred, finish);
        socket->connectToHost(QHostAddress(QHostAddress::LocalHost), target.port);
    }
    QTimer sampler;
    sampler.setInterval(5);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        peak = std::max(peak, residentKiB(target.pid));
        if (clock.elapsed() > 120'000)
            QCoreApplication::quit();
    });
    sampler.start();
    QCoreApplication::exec();
    // A server that kept the bodies would show them a moment after too.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 1000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        peak = std::max(peak, residentKiB(target.pid));
    }
    QStringList statuses;
    qint64 sent = 0;
    for (const Client &client : clients) {
        statuses << QString::number(client.status);
        sent += client.sent;
    }
    emitLine(QStringLiteral("EDGE mode=bodies framing=%1 count=%2 megabytes=%3 statuses=%4 "
                            "sent_mb=%5 rss_before_mb=%6 rss_peak_mb=%7 rss_rise_mb=%8 "
                            "rss_after_mb=%9 seconds=%10")
                 .arg(chunked ? QStringLiteral("chunked") : QStringLiteral("content-length"))
                 .arg(count)
                 .arg(megabytes)
                 .arg(statuses.join(u','))
                 .arg(double(sent) / 1e6, 0, 'f', 1)
                 .arg(double(before) / 1024, 0, 'f', 1)
                 .arg(double(peak) / 1024, 0, 'f', 1)
                 .arg(double(peak - before) / 1024, 0, 'f', 1)
                 .arg(double(residentKiB(target.pid)) / 1024, 0, 'f', 1)
                 .arg(double(clock.elapsed()) / 1000, 0, 'f', 2));
    return 0;
}

// --- params --------------------------------------------------------------------------------------
// GET /requests?a=1&a=1&... with `count` parameters, `repeat` times one after another; for each,
// the server's CPU time from before the request until the connection is closed or answered and
// the server has been quiet for 50 ms.
int params(const Target &target, int count, int repeat)
{
    QByteArray query;
    query.reserve(qsizetype(count) * 4);
    for (int i = 0; i < count; ++i)
        query += i == 0 ? "a=1" : "&a=1";
    const QByteArray request = "GET /requests?" + query +
                               " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(target.port) +
                               "\r\nAuthorization: Bearer " + target.token + "\r\n\r\n";
    std::vector<double> costsMs;
    int status = 0;
    for (int round = 0; round < repeat; ++round) {
        const qint64 before = processCpuNs(target.pid);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), target.port);
        if (!socket.waitForConnected(5000))
            return 1;
        socket.write(request);
        QByteArray received;
        QElapsedTimer clock;
        clock.start();
        // Until the answer is in and the server closed, or 5 s; a refusal keeps reading what
        // follows for a moment, and that counts too.
        while (clock.elapsed() < 5000 && socket.state() == QAbstractSocket::ConnectedState) {
            socket.waitForReadyRead(50);
            received += socket.readAll();
            if (!received.isEmpty() && socket.bytesToWrite() == 0 && received.contains("\r\n\r\n"))
                break;
        }
        status = statusOf(received);
        socket.abort();
        // The server's last work (closing, the access log) ends within this.
        qint64 quiet = processCpuNs(target.pid);
        for (int settle = 0; settle < 40; ++settle) {
            QElapsedTimer pause;
            pause.start();
            while (pause.elapsed() < 50)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            const qint64 now = processCpuNs(target.pid);
            if (now - quiet < 100'000)
                break;
            quiet = now;
        }
        costsMs.push_back(double(quiet - before) / 1e6);
    }
    emitLine(QStringLiteral("EDGE mode=params count=%1 url_bytes=%2 status=%3 repeat=%4 "
                            "cpu_median_ms=%5 cpu_max_ms=%6")
                 .arg(count)
                 .arg(query.size() + 10)
                 .arg(status)
                 .arg(repeat)
                 .arg(percentile(costsMs, 0.5), 0, 'f', 2)
                 .arg(percentile(costsMs, 1.0), 0, 'f', 2));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    raiseOpenFileLimit();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Hostile and careless clients against a running Support Console node."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"),
                                 QStringLiteral("hold, probe, bodies or params"));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("API port"),
                                        QStringLiteral("port"));
    const QCommandLineOption tokenOption(QStringLiteral("token"), QStringLiteral("API token"),
                                         QStringLiteral("secret"));
    const QCommandLineOption pidOption(QStringLiteral("pid"), QStringLiteral("the server's pid"),
                                       QStringLiteral("pid"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("how long (hold, probe)"),
                                           QStringLiteral("s"), QStringLiteral("20"));
    const QCommandLineOption idleOption(QStringLiteral("idle"), QStringLiteral("idle connections"),
                                        QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption slowOption(QStringLiteral("slowloris"),
                                        QStringLiteral("slowloris connections"),
                                        QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption ticketsOption(QStringLiteral("tickets"),
                                           QStringLiteral("ids are drawn from 1..n"),
                                           QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("probe requests per second"),
                                        QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption countOption(QStringLiteral("count"),
                                         QStringLiteral("bodies at once, or query parameters"),
                                         QStringLiteral("n"));
    const QCommandLineOption megabytesOption(QStringLiteral("megabytes"),
                                             QStringLiteral("size of each body"),
                                             QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption chunkedOption(QStringLiteral("chunked"),
                                           QStringLiteral("send bodies chunked"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
                                          QStringLiteral("params requests one after another"),
                                          QStringLiteral("n"), QStringLiteral("20"));
    parser.addOptions({portOption, tokenOption, pidOption, secondsOption, idleOption, slowOption,
                       ticketsOption, rateOption, countOption, megabytesOption, chunkedOption,
                       repeatOption});
    parser.process(app);

    Target target;
    target.port = quint16(parser.value(portOption).toUInt());
    target.token = parser.value(tokenOption).toUtf8();
    target.pid = parser.value(pidOption).toLongLong();
    const QString mode = parser.positionalArguments().value(0);
    if (target.port == 0) {
        std::fprintf(stderr, "bench_edge: --port is required\n");
        return 2;
    }
    if (mode == QLatin1String("hold")) {
        return hold(target, parser.value(idleOption).toInt(), parser.value(slowOption).toInt(),
                    parser.value(secondsOption).toInt());
    }
    if (mode == QLatin1String("probe")) {
        return probe(target, parser.value(ticketsOption).toInt(), parser.value(rateOption).toInt(),
                     parser.value(secondsOption).toInt());
    }
    if (target.pid <= 0) {
        std::fprintf(stderr, "bench_edge: --pid is required for %s\n", qPrintable(mode));
        return 2;
    }
    if (mode == QLatin1String("bodies")) {
        return bodies(target, parser.value(countOption).toInt(),
                      parser.value(megabytesOption).toInt(), parser.isSet(chunkedOption));
    }
    if (mode == QLatin1String("params"))
        return params(target, parser.value(countOption).toInt(),
                      parser.value(repeatOption).toInt());
    parser.showHelp(2);
}
