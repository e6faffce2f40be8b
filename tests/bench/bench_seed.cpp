// Creates a benchmark database with N tickets through the storage layer and reports how fast the
// storage layer inserted them.

#include "category.h"
#include "categorymapping.h"
#include "csvreader.h"
#include "database.h"
#include "databaselocation.h"
#include "datasetcsvformat.h"
#include "searchtext.h"
#include "storageerror.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "transaction.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <libpq-fe.h>
#include <optional>
#include <variant>

namespace {

// The seed data set: English dataset rows when the files are there, synthetic text otherwise.
struct Template
{
    QString subject;
    QString body;
    QString queue;
    QString priority;
    QString answer;
};

constexpr qint64 kMaxTemplates = 100000;

QList<Template> datasetTemplates(const QString &directory, QTextStream &err)
{
    QList<Template> templates;
    const QDir dir(directory);
    const QStringList files = dir.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly)) {
            err << "bench_seed: skipping " << file.fileName() << ": " << file.errorString()
                << Qt::endl;
            continue;
        }
        CsvReader reader(&file);
        CsvReader::Record record;
        if (!reader.readRecord(&record))
            continue;
        const DatasetCsvFormat format(record.fields);
        if (!format.isValid())
            continue;
        while (templates.size() < kMaxTemplates && reader.readRecord(&record)) {
            if (!record.error.isEmpty())
                continue;
            const Validated<TicketDraft> row = format.draftFromRow(record.fields);
            if (!row.isValid() || row.value.dataset->language != QLatin1String("en"))
                continue;
            templates.append({row.value.subject, row.value.body, row.value.dataset->queue,
                              row.value.dataset->priority, row.value.dataset->answer});
        }
    }
    return templates;
}

QList<Template> syntheticTemplates()
{
    // One queue per category, so the filters in the benchmark all find tickets.
    const QList<std::pair<QString, QString>> topics{
        {QStringLiteral("Technical Support"), QStringLiteral("The sync service crashes on start")},
        {QStringLiteral("Billing and Payments"), QStringLiteral("I was charged twice this month")},
        {QStringLiteral("Customer Service"), QStringLiteral("How do I change my account email")},
        {QStringLiteral("IT Support"), QStringLiteral("VPN drops every few minutes")},
        {QStringLiteral("Returns and Exchanges"), QStringLiteral("Refund for a damaged monitor")},
        {QStringLiteral("Product Support"), QStringLiteral("Where is the export button")},
    };
    QList<Template> templates;
    for (const auto &[queue, subject] : topics) {
        templates.append({subject,
                          subject + QStringLiteral(". It started after the last update and happens "
                                                   "on every device we use. Please advise."),
                          queue, QStringLiteral("medium"),
                          QStringLiteral("Thank you for reaching out; we are looking into it.")});
    }
    return templates;
}

// A fixed multiplicative hash spreads tickets evenly over the window without clustering the
// index inserts at one end, the way imported and live tickets interleave in real use.
qint64 createdAtMs(qint64 sequence, qint64 nowMs, int spreadDays)
{
    const quint64 window = quint64(spreadDays) * quint64(Timestamps::kMsPerDay);
    if (window == 0)
        return nowMs;
    return nowMs - qint64((quint64(sequence) * 2654435761ULL) % window);
}

struct Prepared
{
    TicketDraft draft;
    QByteArray importKey;
    std::optional<Category> category;
    qint64 createdAt = 0;
};

// --- PostgreSQL: the same rows as the storage layer stores, loaded with COPY ---------------------
// Row by row through TicketRepository costs about six round trips per ticket on a server; COPY
// sends a batch in one stream. The table triggers fire for COPY as for INSERT, so the counters,
// the classification queue and the category columns end up exactly as the program keeps them.

// One COPY text-format field: backslash, tab, newline and carriage return escaped.
void appendCopyField(QByteArray &line, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    line.reserve(line.size() + utf8.size() + 8);
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            line.append("\\\\");
            break;
        case '\t':
            line.append("\\t");
            break;
        case '\n':
            line.append("\\n");
            break;
        case '\r':
            line.append("\\r");
            break;
        default:
            line.append(c);
        }
    }
}

void appendCopyField(QByteArray &line, qint64 value)
{
    line.append(QByteArray::number(value));
}

template<typename First, typename... Rest>
void appendCopyRow(QByteArray &data, const First &first, const Rest &...rest)
{
    appendCopyField(data, first);
    ((data.append('\t'), appendCopyField(data, rest)), ...);
    data.append('\n');
}

PGconn *libpqConnection(const QSqlDatabase &db)
{
    // QVariant names the type after the struct PGconn stands for.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || (qstrcmp(handle.typeName(), "pg_conn*") != 0 &&
                              qstrcmp(handle.typeName(), "PGconn*") != 0)) {
        throw StorageError(QStringLiteral("not a PostgreSQL connection"));
    }
    return *static_cast<PGconn *const *>(handle.constData());
}

void copyInto(PGconn *connection, const char *copySql, const QByteArray &data)
{
    PGresult *result = PQexec(connection, copySql);
    const bool started = PQresultStatus(result) == PGRES_COPY_IN;
    PQclear(result);
    if (!started)
        throw StorageError(QString::fromUtf8(PQerrorMessage(connection)));
    if (PQputCopyData(connection, data.constData(), int(data.size())) != 1 ||
        PQputCopyEnd(connection, nullptr) != 1) {
        throw StorageError(QString::fromUtf8(PQerrorMessage(connection)));
    }
    bool ok = true;
    QString message;
    while ((result = PQgetResult(connection)) != nullptr) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            ok = false;
            message = QString::fromUtf8(PQresultErrorMessage(result));
        }
        PQclear(result);
    }
    if (!ok)
        throw StorageError(message);
}

void execOrThrow(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throw StorageError(sql + QStringLiteral(": ") + query.lastError().text());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_seed"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Creates a Support Console database with N tickets for benchmarks and prints the storage "
        "layer's insert throughput."));
    parser.addHelpOption();
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("New SQLite file to create, or a PostgreSQL connection URI of an empty "
                       "database (loaded with COPY)."),
        QStringLiteral("path|uri"));
    const QCommandLineOption ticketsOption(QStringLiteral("tickets"),
                                           QStringLiteral("Tickets to insert (default 1000000)."),
                                           QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
                                         QStringLiteral("Tickets per transaction (default 10000)."),
                                         QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption datasetOption(
        QStringLiteral("dataset"),
        QStringLiteral("Folder with the dataset CSV files (default: ../shared/dataset beside the "
                       "source tree); synthetic text when it holds none."),
        QStringLiteral("dir"));
    const QCommandLineOption daysOption(QStringLiteral("spread-days"),
                                        QStringLiteral("Spread created_at over N past days (30)."),
                                        QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption unclassifiedOption(
        QStringLiteral("unclassified"),
        QStringLiteral(
            "Leave every ticket waiting for classification, as after an import (default: "
            "nine in ten are classified, as in a console that has been running)."));
    parser.addOptions({databaseOption, ticketsOption, batchOption, datasetOption, daysOption,
                       unclassifiedOption});
    parser.process(app);

    const QString databasePath = parser.value(databaseOption);
    bool ok = false;
    const qint64 tickets = parser.value(ticketsOption).toLongLong(&ok);
    bool batchOk = false;
    const qint64 batch = parser.value(batchOption).toLongLong(&batchOk);
    bool daysOk = false;
    const int spreadDays = parser.value(daysOption).toInt(&daysOk);
    const bool unclassified = parser.isSet(unclassifiedOption);
    if (databasePath.isEmpty() || !ok || tickets < 1 || tickets > 100'000'000 || !batchOk ||
        batch < 1 || !daysOk || spreadDays < 0 || spreadDays > 3650) {
        err << "bench_seed: needs --database PATH, --tickets 1..100000000, --batch >= 1, "
               "--spread-days 0..3650"
            << Qt::endl;
        return 2;
    }
    const bool onServer = DatabaseLocation::isConnectionString(databasePath);
    // Adding to an existing file would measure a different thing and duplicate nothing useful.
    if (!onServer && QFileInfo::exists(databasePath)) {
        err << "bench_seed: " << databasePath << " already exists; remove it first" << Qt::endl;
        return 2;
    }

    QString datasetDir = parser.value(datasetOption);
    if (datasetDir.isEmpty())
        datasetDir = QStringLiteral(BENCH_DATASET_DIR);
    QList<Template> templates = datasetTemplates(datasetDir, err);
    const bool fromDataset = !templates.isEmpty();
    if (!fromDataset)
        templates = syntheticTemplates();
    if (fromDataset) {
        out << "Ticket texts: " << templates.size() << " English dataset rows from "
            << QDir(datasetDir).canonicalPath() << Qt::endl;
    } else {
        out << "Ticket texts: synthetic (no dataset CSV in " << datasetDir << ")" << Qt::endl;
    }

    DatabaseConfig config = DatabaseConfig::sqlite(databasePath);
    if (onServer) {
        auto parsed = DatabaseLocation::parse(databasePath);
        if (const QString *problem = std::get_if<QString>(&parsed)) {
            err << "bench_seed: " << *problem << Qt::endl;
            return 2;
        }
        config = std::get<DatabaseConfig>(parsed);
    }
    const Database database(config);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qint64 storageNs = 0;
    qint64 classified = 0;
    QElapsedTimer wall;
    wall.start();
    try {
        database.migrate();
        TicketRepository repository(database);
        // ClassificationRepository::add commits per call; one statement inside the batch's
        // transaction keeps the seed a bulk load while still firing the category triggers.
        QSqlQuery classify(database.connection());
        if (!classify.prepare(QStringLiteral(
                "INSERT INTO classifications (ticket_id, category, confidence, summary, model, "
                "processing_ms, created_at) "
                "VALUES ((SELECT ticket_id FROM imported_tickets WHERE import_key = ?), "
                "?, ?, '', 'bench-seed', ?, ?)"))) {
            throw StorageError(classify.lastError().text());
        }
        // As the classification pipeline does: a classified ticket leaves the queue.
        QSqlQuery dequeue(database.connection());
        if (!dequeue.prepare(
                QStringLiteral("DELETE FROM classification_jobs WHERE ticket_id = "
                               "(SELECT ticket_id FROM imported_tickets WHERE import_key = ?)"))) {
            throw StorageError(dequeue.lastError().text());
        }

        // The full-text index is built once at the end, as the migration defines it, instead of
        // row by row twice (the classification's update of each ticket writes new entries).
        if (onServer)
            execOrThrow(database.connection(), QStringLiteral("DROP INDEX tickets_search_words"));
        QList<Prepared> rows;
        rows.reserve(qsizetype(qMin(batch, tickets)));
        for (qint64 first = 0; first < tickets; first += batch) {
            const qint64 end = qMin(tickets, first + batch);
            // Building the drafts is the benchmark's own work, so it stays outside the timing.
            rows.clear();
            for (qint64 sequence = first; sequence < end; ++sequence) {
                const Template &text = templates.at(qsizetype(sequence % templates.size()));
                Prepared row;
                row.draft = TicketDraft::fromSubjectAndBody(
                    text.subject,
                    text.body + QStringLiteral("\n\nReference BENCH-%1").arg(sequence + 1),
                    TicketSource::Import);
                row.draft.dataset =
                    DatasetInfo{text.queue, text.priority, QStringLiteral("en"), text.answer};
                row.createdAt = createdAtMs(sequence, nowMs, spreadDays);
                row.draft.createdAt = Timestamps::fromMs(row.createdAt);
                row.importKey = "bench-" + QByteArray::number(sequence + 1);
                if (!unclassified && sequence % 10 != 9) {
                    row.category = CategoryMapping::categoryForQueue(text.queue);
                    if (!row.category)
                        row.category = kAllCategories.at(std::size_t(sequence % 3));
                }
                rows.append(std::move(row));
            }

            QElapsedTimer timer;
            timer.start();
            if (onServer) {
                // Ids are given, as the identity column would hand them out on an empty
                // database; the sequence is moved past them at the end.
                QByteArray ticketRows;
                QByteArray importRows;
                QByteArray classificationRows;
                const qint64 updatedAt = QDateTime::currentMSecsSinceEpoch();
                for (qsizetype i = 0; i < rows.size(); ++i) {
                    const Prepared &row = rows.at(i);
                    const qint64 id = first + i + 1;
                    appendCopyRow(ticketRows, id, row.draft.subject, row.draft.body,
                                  QString(ticketFormName(row.draft.form)),
                                  QString(ticketSourceName(row.draft.source)), row.createdAt,
                                  updatedAt,
                                  SearchText::normalised(
                                      QString(row.draft.subject + u'\n' + row.draft.body)));
                    appendCopyRow(importRows, id, QString::fromLatin1(row.importKey),
                                  row.draft.dataset->queue, row.draft.dataset->priority,
                                  row.draft.dataset->language, row.draft.dataset->answer);
                    if (row.category) {
                        appendCopyRow(classificationRows, id, QString(categoryName(*row.category)),
                                      QStringLiteral("0.9"), QString(),
                                      QStringLiteral("bench-seed"), qint64(120),
                                      row.createdAt + 1000);
                        ++classified;
                    }
                }
                static qint64 stageNs[4] = {};
                QElapsedTimer stage;
                stage.start();
                Transaction transaction(database);
                PGconn *connection = libpqConnection(database.connection());
                copyInto(connection,
                         "COPY tickets (id, subject, body, form, source, created_at, updated_at, "
                         "search_words) FROM STDIN",
                         ticketRows);
                stageNs[0] += stage.nsecsElapsed();
                stage.restart();
                copyInto(connection,
                         "COPY imported_tickets (ticket_id, import_key, queue, priority, language, "
                         "answer) FROM STDIN",
                         importRows);
                stageNs[1] += stage.nsecsElapsed();
                stage.restart();
                copyInto(connection,
                         "COPY classifications (ticket_id, category, confidence, summary, model, "
                         "processing_ms, created_at) FROM STDIN",
                         classificationRows);
                stageNs[2] += stage.nsecsElapsed();
                stage.restart();
                // As the classification pipeline does: a classified ticket leaves the queue.
                execOrThrow(
                    database.connection(),
                    QStringLiteral("DELETE FROM classification_jobs j USING classifications "
                                   "c WHERE c.ticket_id = j.ticket_id AND c.ticket_id "
                                   "BETWEEN %1 AND %2")
                        .arg(first + 1)
                        .arg(end));
                transaction.commit();
                // The triggers' plans were made for empty tables; fresh statistics replan them
                // from sequential scans to index lookups as the tables grow.
                if (end <= 10 * batch || end % (10 * batch) == 0)
                    execOrThrow(database.connection(),
                                QStringLiteral("ANALYZE tickets, classifications, "
                                               "classification_jobs, imported_tickets"));
                stageNs[3] += stage.nsecsElapsed();
                storageNs += timer.nsecsElapsed();
                if (end % 100000 == 0 || end == tickets) {
                    err << "  " << end << " / " << tickets << " tickets, "
                        << qint64(double(end) / (double(storageNs) / 1e9))
                        << " tickets/s (seconds in COPY tickets " << stageNs[0] / 1000000000
                        << ", imported_tickets " << stageNs[1] / 1000000000 << ", classifications "
                        << stageNs[2] / 1000000000 << ", dequeue and commit "
                        << stageNs[3] / 1000000000 << ")" << Qt::endl;
                }
                continue;
            }
            Transaction transaction(database);
            for (const Prepared &row : std::as_const(rows)) {
                if (!repository.createImported(row.draft, row.importKey))
                    throw StorageError(QStringLiteral("import key %1 already stored")
                                           .arg(QString::fromLatin1(row.importKey)));
                if (!row.category)
                    continue;
                classify.bindValue(0, QString::fromLatin1(row.importKey));
                classify.bindValue(1, QString(categoryName(*row.category)));
                classify.bindValue(2, 0.9);
                classify.bindValue(3, 120);
                classify.bindValue(4, row.createdAt + 1000);
                if (!classify.exec())
                    throw StorageError(classify.lastError().text());
                dequeue.bindValue(0, QString::fromLatin1(row.importKey));
                if (!dequeue.exec())
                    throw StorageError(dequeue.lastError().text());
                ++classified;
            }
            transaction.commit();
            storageNs += timer.nsecsElapsed();

            if (end % 100000 == 0 || end == tickets) {
                err << "  " << end << " / " << tickets << " tickets, "
                    << qint64(double(end) / (double(storageNs) / 1e9)) << " tickets/s" << Qt::endl;
            }
        }
        classify.finish();
        dequeue.finish();
        if (onServer) {
            // The next insert through the identity column must not collide with the ids given.
            execOrThrow(database.connection(),
                        QStringLiteral("SELECT setval(pg_get_serial_sequence('tickets', 'id'), "
                                       "(SELECT MAX(id) FROM tickets))"));
            // What createImported() does per ticket on SQLite: the dataset's answer is the
            // first agent reply, as migration 0011 turned it into one.
            execOrThrow(database.connection(),
                        QStringLiteral(
                            "INSERT INTO ticket_messages (ticket_id, author_kind, author, "
                            "visibility, body, delivery, created_at) SELECT i.ticket_id, 'agent', "
                            "'import', 'public', i.answer, 'delivered', t.created_at FROM "
                            "imported_tickets i JOIN tickets t ON t.id = i.ticket_id WHERE "
                            "i.answer <> '' ORDER BY i.ticket_id"));
            execOrThrow(database.connection(),
                        QStringLiteral("CREATE INDEX tickets_search_words ON tickets USING gin "
                                       "(search_vector)"));
            // Statistics and the visibility map, as autovacuum would leave them after a while.
            execOrThrow(database.connection(), QStringLiteral("VACUUM ANALYZE"));
            execOrThrow(database.connection(), QStringLiteral("CHECKPOINT"));
        } else {
            // The cached file is copied per run: fold the WAL back in so one file is the whole
            // DB.
            QSqlQuery checkpoint(database.connection());
            if (!checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
                throw StorageError(checkpoint.lastError().text());
        }
    } catch (const StorageError &error) {
        err << "bench_seed: " << error.message() << Qt::endl;
        database.closeThreadConnection();
        return 1;
    }
    database.closeThreadConnection();

    const double storageSeconds = double(storageNs) / 1e9;
    const double wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    out << "Seeded " << tickets << " tickets (" << classified << " classified) in "
        << QString::number(wallSeconds, 'f', 1) << " s; storage layer "
        << QString::number(storageSeconds, 'f', 1) << " s" << Qt::endl;
    // One line for run.sh to parse.
    out << "SEED tickets=" << tickets << " classified=" << classified
        << " storage_seconds=" << QString::number(storageSeconds, 'f', 2)
        << " storage_tickets_per_s=" << qint64(double(tickets) / storageSeconds)
        << " wall_seconds=" << QString::number(wallSeconds, 'f', 2) << " batch=" << batch
        << Qt::endl;
    return 0;
}
