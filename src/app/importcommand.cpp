#include "importcommand.h"

#include "database.h"
#include "storageerror.h"
#include "ticketimporter.h"
#include "traincommand.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <unistd.h>

static constexpr int kRejectedRowsShown = 20;

static QString tr(const char *text)
{
    return QCoreApplication::translate("ImportCommand", text);
}

int ImportCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QFile file(commandLine.importFile);
    if (!file.open(QIODevice::ReadOnly)) {
        err << tr("support-console: cannot open %1: %2")
                   .arg(commandLine.importFile, file.errorString())
            << Qt::endl;
        return 1;
    }

    const Database database(commandLine.database);
    TicketImporter importer(database);
    const bool showProgress = ::isatty(STDERR_FILENO) == 1;
    if (showProgress) {
        const qint64 size = qMax<qint64>(1, file.size());
        QObject::connect(
            &importer, &TicketImporter::progressed, &importer,
            [&err, size](qint64 rows, qint64 bytes) {
                err << '\r' << tr("Importing: %1 rows read (%2%)").arg(rows).arg(bytes * 100 / size)
                    << Qt::flush;
            });
    }

    TicketImporter::Options options;
    options.language = commandLine.importLanguage;
    options.limit = commandLine.importLimit;
    options.spreadDays = commandLine.importSpreadDays;

    TicketImporter::Summary summary;
    try {
        database.migrate();
        summary = importer.import(&file, options);
    } catch (const StorageError &error) {
        if (showProgress)
            err << Qt::endl;
        err << tr("support-console: import failed, nothing was imported: %1").arg(error.message())
            << Qt::endl;
        database.closeThreadConnection();
        return 1;
    }
    database.closeThreadConnection();
    if (showProgress)
        err << Qt::endl;

    out << tr("Read %1 rows from %2.").arg(summary.read).arg(commandLine.importFile) << Qt::endl
        << tr("  imported:         %1").arg(summary.imported) << Qt::endl
        << tr("  already imported: %1").arg(summary.alreadyImported) << Qt::endl
        << tr("  other languages:  %1").arg(summary.otherLanguage) << Qt::endl
        << tr("  rejected:         %1").arg(summary.rejected.size()) << Qt::endl;
    for (qsizetype i = 0; i < summary.rejected.size() && i < kRejectedRowsShown; ++i) {
        const TicketImporter::RejectedRow &row = summary.rejected.at(i);
        out << tr("    line %1: %2").arg(row.line).arg(row.reason) << Qt::endl;
    }
    if (summary.rejected.size() > kRejectedRowsShown)
        out << tr("    ... and %1 more").arg(summary.rejected.size() - kRejectedRowsShown)
            << Qt::endl;
    if (summary.imported == 0)
        return 0;
    // Only a person at a terminal is asked: a script or a test must never wait on stdin.
    if (::isatty(STDIN_FILENO) != 1 || ::isatty(STDOUT_FILENO) != 1) {
        out << tr("Run \"support-console train\" to train the local model on these tickets.")
            << Qt::endl;
        return 0;
    }
    out << tr("Train the local model now? [Y/n] ") << Qt::flush;
    const QString answer = QTextStream(stdin).readLine().trimmed().toLower();
    if (!answer.isEmpty() && answer != QLatin1String("y") && answer != QLatin1String("yes"))
        return 0;
    return TrainCommand::run(commandLine);
}
