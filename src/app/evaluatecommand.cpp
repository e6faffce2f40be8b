#include "evaluatecommand.h"

#include "categorymapping.h"
#include "classificationmetrics.h"
#include "csvreader.h"
#include "datasetcsvformat.h"
#include "fasttextclassifier.h"
#include "fasttextmodelstore.h"
#include "rulesclassifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

static QString tr(const char *text)
{
    return QCoreApplication::translate("EvaluateCommand", text);
}

int EvaluateCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    // The remote LLM joins this list when it exists.
    std::unique_ptr<LocalClassifier> classifier;
    if (commandLine.evaluateProvider == QLatin1String("rules")) {
        classifier = std::make_unique<RulesClassifier>();
    } else if (commandLine.evaluateProvider == QLatin1String("fasttext")) {
        const FastTextModelStore store =
            commandLine.modelPath.isEmpty()
                ? FastTextModelStore(commandLine.database.databaseName)
                : FastTextModelStore::atMetadataPath(commandLine.modelPath);
        if (!store.exists()) {
            err << tr("support-console: no trained model at %1; run support-console train "
                      "--database DB first, or give --model PATH")
                       .arg(store.metadataPath())
                << Qt::endl;
            return 1;
        }
        QString error;
        classifier = store.load(&error);
        if (!classifier) {
            err << tr("support-console: %1").arg(error) << Qt::endl;
            return 1;
        }
    } else {
        err << tr("support-console: unknown provider \"%1\"; available: rules, fasttext")
                   .arg(commandLine.evaluateProvider)
            << Qt::endl;
        return 2;
    }
    QFile file(commandLine.importFile);
    if (!file.open(QIODevice::ReadOnly)) {
        err << tr("support-console: cannot open %1: %2")
                   .arg(commandLine.importFile, file.errorString())
            << Qt::endl;
        return 1;
    }
    CsvReader reader(&file);
    CsvReader::Record record;
    if (!reader.readRecord(&record) || !DatasetCsvFormat(record.fields).isValid()) {
        err << tr("support-console: %1 is not in the dataset's CSV format")
                   .arg(commandLine.importFile)
            << Qt::endl;
        return 1;
    }
    const DatasetCsvFormat format(record.fields);

    ClassificationMetrics metrics;
    qint64 skipped = 0;
    qint64 classifyNanoseconds = 0;
    QElapsedTimer timer;
    while (reader.readRecord(&record)) {
        if (!record.error.isEmpty()) {
            ++skipped;
            continue;
        }
        const Validated<TicketDraft> row = format.draftFromRow(record.fields);
        const std::optional<DatasetInfo> &dataset = row.value.dataset;
        if (!dataset || (!commandLine.importLanguage.isEmpty() &&
                         dataset->language != commandLine.importLanguage))
            continue;
        const std::optional<Category> actual = CategoryMapping::categoryForQueue(dataset->queue);
        if (!row.isValid() || !actual) {
            ++skipped;
            continue;
        }
        const QString text = row.value.text();
        timer.start();
        const Prediction prediction = classifier->predict(text);
        classifyNanoseconds += timer.nsecsElapsed();
        metrics.add(*actual, prediction.category, prediction.confidence);
    }
    const double ticketsPerSecond =
        classifyNanoseconds > 0 ? double(metrics.count()) * 1e9 / double(classifyNanoseconds) : 0.0;

    if (commandLine.evaluateJson) {
        QJsonObject report = metrics.toJson();
        report.insert(QStringLiteral("provider"), commandLine.evaluateProvider);
        report.insert(QStringLiteral("model"), classifier->modelName());
        report.insert(QStringLiteral("skipped"), skipped);
        report.insert(QStringLiteral("tickets_per_second"), ticketsPerSecond);
        out << QJsonDocument(report).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << tr("provider:  %1 (%2)").arg(commandLine.evaluateProvider, classifier->modelName())
        << Qt::endl
        << tr("file:      %1").arg(commandLine.importFile) << Qt::endl
        << tr("skipped:   %1 (malformed, or a queue without a category)").arg(skipped) << Qt::endl
        << tr("speed:     %1 tickets/s (classification only, one thread)")
               .arg(qRound64(ticketsPerSecond))
        << Qt::endl
        << metrics.toText();
    return 0;
}
