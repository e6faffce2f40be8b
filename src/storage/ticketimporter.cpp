#include "ticketimporter.h"

#include "csvreader.h"
#include "datasetcsvformat.h"
#include "storageerror.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "transaction.h"

static constexpr qint64 kProgressEveryRows = 500;

TicketImporter::TicketImporter(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{}

// The same row always lands on the same past instant, so re-imports and tests are repeatable.
static QDateTime spreadCreatedAt(const QByteArray &contentKey,
                                 const TicketImporter::Options &options)
{
    if (options.spreadDays <= 0)
        return options.now;
    const quint64 hash = contentKey.left(16).toULongLong(nullptr, 16);
    const qint64 offsetMs =
        qint64(hash % quint64(qint64(options.spreadDays) * Timestamps::kMsPerDay));
    return options.now.addMSecs(-offsetMs);
}

TicketImporter::Summary TicketImporter::import(QIODevice *device, const Options &options)
{
    CsvReader reader(device);
    CsvReader::Record record;
    const bool hasHeader = reader.readRecord(&record);
    if (!reader.formatError().isEmpty())
        throw StorageError(tr("The file cannot be imported: %1.").arg(reader.formatError()));
    if (!hasHeader)
        throw StorageError(tr("The file is empty."));
    const DatasetCsvFormat format(record.fields);
    if (!format.isValid()) {
        throw StorageError(tr("The file is not in the dataset's CSV format: missing column(s) %1.")
                               .arg(format.missingColumns().join(QLatin1String(", "))));
    }

    Summary summary;
    TicketRepository repository(m_database);
    Transaction transaction(m_database);
    while ((!options.limit || summary.imported < *options.limit) && reader.readRecord(&record)) {
        ++summary.read;
        if (summary.read % kProgressEveryRows == 0)
            Q_EMIT progressed(summary.read, device->pos());
        if (!record.error.isEmpty()) {
            summary.rejected.append({record.firstLine, record.error});
            continue;
        }
        Validated<TicketDraft> row = format.draftFromRow(record.fields);
        // A row in a language the user did not ask for is skipped, whatever else is wrong with it.
        const std::optional<DatasetInfo> &dataset = row.value.dataset;
        if (dataset && !options.language.isEmpty() && dataset->language != options.language) {
            ++summary.otherLanguage;
            continue;
        }
        if (!row.isValid()) {
            QStringList reasons;
            for (const FieldError &error : row.errors)
                reasons.append(error.field + QLatin1String(": ") + error.message);
            summary.rejected.append({record.firstLine, reasons.join(QLatin1String("; "))});
            continue;
        }
        const QByteArray key = DatasetCsvFormat::contentKey(row.value);
        row.value.createdAt = spreadCreatedAt(key, options);
        if (repository.createImported(row.value, key))
            ++summary.imported;
        else
            ++summary.alreadyImported;
    }
    if (!reader.deviceError().isEmpty())
        throw StorageError(tr("Reading the file failed: %1").arg(reader.deviceError()));
    // Nothing of a file that turns out not to be CSV text is stored, not even its first rows.
    if (!reader.formatError().isEmpty())
        throw StorageError(tr("The file cannot be imported: %1.").arg(reader.formatError()));
    transaction.commit();
    Q_EMIT progressed(summary.read, device->pos());
    return summary;
}
