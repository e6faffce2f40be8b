// What the API's door costs a request: ApiGuard::admit (client, Host, ban, the address's rate
// limit, which a loopback client skips) and ApiGuard::authorize, the checks ApiServer::dispatch
// runs before GET /requests/{id}, timed on the path every request but
// one in 500 ms takes (the token found in the verifier's memory), on 1 and on 2 threads at once
// as the node's two API workers call them. The request they check is the one wrk sends, as
// HttpRequestParser hands it on. The token is made in the benchmark database and looked up there,
// so the one query per 500 ms runs against the same backend; its cost is reported apart
// (lookup_ns), since a tight loop amortises it over far more calls than a server does.
// Prints "AUTH key=value ..." lines for run.sh.

#include "apiguard.h"
#include "credentialfailuretracker.h"
#include "database.h"
#include "databaselocation.h"
#include "hostallowlist.h"
#include "testtoken.h"
#include "tokenverifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <functional>
#include <latch>
#include <memory>
#include <variant>

namespace {

double threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e9 + double(now.tv_nsec);
}

// Per call, in nanoseconds: the calling thread's CPU time and the wall-clock time.
struct Timing
{
    double cpuNs = 0;
    double wallNs = 0;
};

Timing timeCalls(qint64 calls, const std::function<void()> &call)
{
    QElapsedTimer wall;
    const double cpuStart = threadCpuNs();
    wall.start();
    for (qint64 i = 0; i < calls; ++i)
        call();
    const double wallNs = double(wall.nsecsElapsed());
    return {(threadCpuNs() - cpuStart) / double(calls), wallNs / double(calls)};
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

struct Options
{
    qint64 calls = 200'000;
    int repeats = 5;
    int lookups = 500;
};

// Runs the checks `options.calls` times on each of `threads` threads at once; medians over
// the repeats of the per-call cost averaged over the threads. Counts refusals in *failures: a
// refused request is a different, cheaper path and would make the numbers meaningless.
void measureThreads(const Database &database, ApiGuard &guard, const HttpRequest &request,
                    int threads, const Options &options, std::atomic<qint64> *failures)
{
    QList<double> hostCpu, authorizeCpu, doorCpu, doorWall;
    const auto host = [&] {
        if (guard.admit(request, guard.clientAddress(request)))
            failures->fetch_add(1, std::memory_order_relaxed);
    };
    const auto authorize = [&] {
        if (!std::holds_alternative<ApiGuard::Authorized>(
                guard.authorize(request, guard.clientAddress(request), Scope::TicketsRead)))
            failures->fetch_add(1, std::memory_order_relaxed);
    };
    // As ApiServer::dispatch runs them for every request.
    const auto door = [&] {
        host();
        authorize();
    };
    for (int repeat = 0; repeat < options.repeats; ++repeat) {
        QList<Timing> hostTimes(threads), authorizeTimes(threads), doorTimes(threads);
        std::latch ready(threads);
        QList<QThread *> workers;
        for (int t = 0; t < threads; ++t) {
            workers.append(QThread::create([&, t] {
                // Opens this thread's connection and fills the verifier's memory.
                timeCalls(options.calls / 10, door);
                ready.arrive_and_wait();
                hostTimes[t] = timeCalls(options.calls, host);
                authorizeTimes[t] = timeCalls(options.calls, authorize);
                doorTimes[t] = timeCalls(options.calls, door);
                database.closeThreadConnection();
            }));
            workers.last()->start();
        }
        for (QThread *worker : std::as_const(workers)) {
            worker->wait();
            delete worker;
        }
        const auto mean = [threads](const QList<Timing> &times, double Timing::*field) {
            double sum = 0;
            for (const Timing &timing : times)
                sum += timing.*field;
            return sum / threads;
        };
        hostCpu.append(mean(hostTimes, &Timing::cpuNs));
        authorizeCpu.append(mean(authorizeTimes, &Timing::cpuNs));
        doorCpu.append(mean(doorTimes, &Timing::cpuNs));
        doorWall.append(mean(doorTimes, &Timing::wallNs));
    }
    printf("AUTH threads=%d calls=%lld repeats=%d host_cpu_ns=%.0f authorize_cpu_ns=%.0f "
           "door_cpu_ns=%.0f door_wall_ns=%.0f door_cpu_ns_max=%.0f\n",
           threads, options.calls, options.repeats, median(hostCpu), median(authorizeCpu),
           median(doorCpu), median(doorWall), *std::max_element(doorCpu.begin(), doorCpu.end()));
    fflush(stdout);
}

// The path one call in 500 ms per worker takes: the digest, one query by it, the memory
// updated. A fresh verifier each time, so nothing is found in memory.
void measureLookups(const Database &database, const QByteArray &token, const Options &options,
                    std::atomic<qint64> *failures)
{
    const auto lookUp = [&] {
        TokenVerifier verifier(database);
        if (!std::holds_alternative<TokenVerifier::Grant>(verifier.verify(token)))
            failures->fetch_add(1, std::memory_order_relaxed);
    };
    for (int i = 0; i < 20; ++i)
        lookUp(); // the connection opened, the statement prepared, the last use written once
    QList<double> cpu, wall;
    for (int repeat = 0; repeat < options.repeats; ++repeat) {
        const Timing timing = timeCalls(options.lookups, lookUp);
        cpu.append(timing.cpuNs);
        wall.append(timing.wallNs);
    }
    printf("AUTH lookup calls=%d repeats=%d lookup_cpu_ns=%.0f lookup_wall_ns=%.0f\n",
           options.lookups, options.repeats, median(cpu), median(wall));
    fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_auth"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times the API's Host and token checks per call on 1 and 2 threads."));
    parser.addHelpOption();
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("SQLite file or PostgreSQL URI; a token is added to it"),
        QStringLiteral("path"));
    const QCommandLineOption callsOption(QStringLiteral("calls"),
                                         QStringLiteral("Calls per thread and loop (200000)"),
                                         QStringLiteral("n"), QStringLiteral("200000"));
    const QCommandLineOption repeatsOption(QStringLiteral("repeats"),
                                           QStringLiteral("Repeats; medians are shown (5)"),
                                           QStringLiteral("n"), QStringLiteral("5"));
    parser.addOptions({databaseOption, callsOption, repeatsOption});
    parser.process(app);
    Options options;
    bool callsOk = false;
    bool repeatsOk = false;
    options.calls = parser.value(callsOption).toLongLong(&callsOk);
    options.repeats = parser.value(repeatsOption).toInt(&repeatsOk);
    if (!parser.isSet(databaseOption) || !callsOk || options.calls < 100 || !repeatsOk ||
        options.repeats < 1 || options.repeats > 100) {
        parser.showHelp(2);
    }

    auto parsed = DatabaseLocation::parse(parser.value(databaseOption));
    if (const QString *problem = std::get_if<QString>(&parsed))
        qFatal("%s", qPrintable(*problem));
    const Database database(std::get<DatabaseConfig>(parsed));
    database.migrate();
    const QByteArray token =
        makeTestToken(database, Scope::TicketsRead,
                      QStringLiteral("bench-auth-%1").arg(QDateTime::currentMSecsSinceEpoch()));

    TokenVerifier verifier(database);
    CredentialFailureTracker failureTracker;
    std::unique_ptr<ApiGuard> guard;
    std::atomic<qint64> failures = 0;
    // As the node builds it for --bind 127.0.0.1 --port 8080 without --allowed-host.
    constexpr quint16 port = 8080;
    guard = std::make_unique<ApiGuard>(
        verifier, failureTracker, HostAllowList(QHostAddress(QHostAddress::LocalHost), port, {}));
    // The request wrk sends: GET /requests/{id} with Host 127.0.0.1:PORT and the bearer token.
    HttpRequest request;
    request.method = "GET";
    request.target = "/requests/1";
    request.peer = QHostAddress(QHostAddress::LocalHost);
    request.headers = {{"Host", "127.0.0.1:" + QByteArray::number(port)},
                       {"Authorization", "Bearer " + token}};
    for (const int threads : {1, 2})
        measureThreads(database, *guard, request, threads, options, &failures);

    measureLookups(database, token, options, &failures);
    database.closeThreadConnection();
    if (failures.load() != 0) {
        fprintf(stderr, "bench_auth: %lld checks refused the request; the numbers are void\n",
                qint64(failures.load()));
        return 1;
    }
    return 0;
}
