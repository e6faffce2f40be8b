#include "traincommand.h"

#include "database.h"
#include "fasttextmodelstore.h"
#include "localmodeltrainer.h"
#include "storageerror.h"
#include "trainingexamplereader.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

static QString tr(const char *text)
{
    return QCoreApplication::translate("TrainCommand", text);
}

std::optional<QList<TrainingExample>> TrainCommand::readLabelledTickets(const Database &database)
{
    try {
        database.migrate();
        return TrainingExampleReader(database).read();
    } catch (const StorageError &error) {
        QTextStream(stderr)
            << tr("support-console: cannot read the labelled tickets: %1").arg(error.message())
            << Qt::endl;
        database.closeThreadConnection();
        return std::nullopt;
    }
}

int TrainCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const Database database(commandLine.database);
    const std::optional<QList<TrainingExample>> examples = readLabelledTickets(database);
    if (!examples)
        return 1;
    const FastTextModelStore store(database);
    // Before training: a model kept in files by v0.3 is the one the new model must beat.
    if (const QString imported = store.importVersion03Files(); !imported.isEmpty())
        err << tr("support-console: %1").arg(imported) << Qt::endl;

    std::variant<LocalModelTrainer::Report, QString> result;
    try {
        result = LocalModelTrainer().trainAndKeep(*examples, database);
    } catch (const StorageError &error) {
        result = error.message();
    }
    database.closeThreadConnection();
    if (const QString *error = std::get_if<QString>(&result)) {
        err << tr("support-console: %1").arg(*error) << Qt::endl;
        return 1;
    }
    const LocalModelTrainer::Report &report = std::get<LocalModelTrainer::Report>(result);
    if (commandLine.evaluateJson)
        out << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    else
        out << report.toText();
    out.flush();
    return 0;
}
