// POST /requests without HTTP: nodes (each a Database and a TicketWriter) storing tickets that
// many threads submit at once, as the API's handlers do. Reports tickets/s and checks afterwards
// that every ticket was stored once and the per-day counts add up.
//   bench_ticketwriter --database FILE|URI [--tickets N] [--threads N] [--nodes N] [--keyed PCT]

#include "database.h"
#include "databaselocation.h"
#include "storageerror.h"
#include "ticketrepository.h"
#include "ticketwriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTextStream>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

using Outcome = TicketRepository::IdempotentCreate::Outcome;

qint64 scalar(const Database &database, const QString &sql)
{
    QSqlQuery query(database.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace

int main(int argc, char *argv[])
{
    const QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption databaseOption(u"database"_s, u"SQLite file or PostgreSQL URI"_s,
                                            u"location"_s);
    const QCommandLineOption ticketsOption(u"tickets"_s, u"Tickets to store"_s, u"n"_s, u"20000"_s);
    const QCommandLineOption threadsOption(u"threads"_s, u"Submitting threads"_s, u"n"_s, u"8"_s);
    const QCommandLineOption nodesOption(u"nodes"_s, u"Databases with a TicketWriter each"_s,
                                         u"n"_s, u"1"_s);
    const QCommandLineOption keyedOption(
        u"keyed"_s, u"Percent of tickets with an Idempotency-Key"_s, u"pct"_s, u"50"_s);
    parser.addOptions({databaseOption, ticketsOption, threadsOption, nodesOption, keyedOption});
    parser.process(app);
    QTextStream out(stdout);

    const auto location = DatabaseLocation::parse(parser.value(databaseOption));
    if (const QString *error = std::get_if<QString>(&location)) {
        QTextStream(stderr) << *error << Qt::endl;
        return 2;
    }
    const DatabaseConfig config = std::get<DatabaseConfig>(location);
    const int total = parser.value(ticketsOption).toInt();
    const int threadCount = std::max(1, parser.value(threadsOption).toInt());
    const int nodeCount = std::max(1, parser.value(nodesOption).toInt());
    const int keyedPercent = parser.value(keyedOption).toInt();

    try {
        const Database checks(config);
        checks.migrate();
        const qint64 before = scalar(checks, u"SELECT COUNT(*) FROM tickets"_s);

        std::vector<std::unique_ptr<Database>> databases;
        std::vector<std::unique_ptr<TicketWriter>> writers;
        for (int n = 0; n < nodeCount; ++n) {
            databases.push_back(std::make_unique<Database>(config));
            writers.push_back(std::make_unique<TicketWriter>(*databases.back()));
        }
        // Keys unique to this run, so that a rerun on the same database creates again.
        const QString run = QString::number(QDateTime::currentMSecsSinceEpoch());
        std::atomic<int> created{0};
        std::atomic<int> failed{0};
        QElapsedTimer timer;
        timer.start();
        std::vector<std::thread> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back([&, t] {
                TicketWriter &writer = *writers.at(std::size_t(t % nodeCount));
                // Like API handlers: many requests in flight, each waiting for its own commit.
                constexpr int kInFlight = 64;
                QList<QFuture<TicketRepository::IdempotentCreate>> inFlight;
                auto settle = [&](QFuture<TicketRepository::IdempotentCreate> &future) {
                    const auto result = future.result();
                    if (result.outcome == Outcome::Created)
                        ++created;
                    else if (result.outcome == Outcome::Failed)
                        ++failed;
                };
                for (int i = t; i < total; i += threadCount) {
                    TicketRepository::NewTicket ticket{
                        TicketDraft::fromSubjectAndBody(
                            u"Bench ticket %1"_s.arg(i),
                            u"Cannot log in to the billing portal since the update, ticket %1"_s
                                .arg(i),
                            TicketSource::Api),
                        {},
                        {}};
                    if (i % 100 < keyedPercent) {
                        ticket.idempotencyKey = run + u'-' + QString::number(i);
                        ticket.requestHash = QByteArray::number(i);
                    }
                    inFlight.append(writer.submit(std::move(ticket)));
                    if (inFlight.size() == kInFlight) {
                        settle(inFlight.front());
                        inFlight.removeFirst();
                    }
                }
                for (auto &future : inFlight)
                    settle(future);
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        const qint64 elapsedMs = std::max<qint64>(1, timer.elapsed());
        writers.clear();
        databases.clear();

        const qint64 stored = scalar(checks, u"SELECT COUNT(*) FROM tickets"_s) - before;
        const qint64 counted = scalar(checks, u"SELECT COALESCE(SUM(n), 0) FROM ticket_counts"_s);
        const qint64 all = scalar(checks, u"SELECT COUNT(*) FROM tickets"_s);
        out << config.driver << ": " << total << " tickets, " << threadCount << " threads, "
            << nodeCount << " node(s), " << keyedPercent << "% keyed: " << elapsedMs << " ms, "
            << (qint64(total) * 1000 / elapsedMs) << " tickets/s; created " << created.load()
            << ", failed " << failed.load() << ", stored " << stored << ", counts "
            << (counted == all ? "exact" : "WRONG") << Qt::endl;
        checks.closeThreadConnection();
        return failed.load() == 0 && stored == total && counted == all ? 0 : 1;
    } catch (const StorageError &error) {
        QTextStream(stderr) << error.message() << Qt::endl;
        return 1;
    }
}
