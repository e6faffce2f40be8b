// Creates a benchmark database with N tickets through the storage layer and reports how fast the
// storage layer inserted them.

#include "category.h"
#include "categorymapping.h"
#include "csvreader.h"
#include "database.h"
#include "datasetcsvformat.h"
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
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <optional>

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
    const QCommandLineOption databaseOption(QStringLiteral("database"),
                                            QStringLiteral("New SQLite file to create."),
                                            QStringLiteral("path"));
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
    // Adding to an existing file would measure a different thing and duplicate nothing useful.
    if (QFileInfo::exists(databasePath)) {
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

    const Database database(DatabaseConfig::sqlite(databasePath));
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
        // The cached file is copied per run: fold the WAL back in so one file is the whole DB.
        QSqlQuery checkpoint(database.connection());
        if (!checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
            throw StorageError(checkpoint.lastError().text());
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
