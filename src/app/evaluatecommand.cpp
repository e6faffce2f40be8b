#include "evaluatecommand.h"

#include "categorymapping.h"
#include "classificationmetrics.h"
#include "classificationoptions.h"
#include "csvreader.h"
#include "database.h"
#include "datasetcsvformat.h"
#include "fasttextclassifier.h"
#include "fasttextmodelstore.h"
#include "learnedmodelstore.h"
#include "learningcurve.h"
#include "llmclient.h"
#include "rulesclassifier.h"
#include "storageerror.h"
#include "traincommand.h"
#include "trainingset.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTextStream>

static QString tr(const char *text)
{
    return QCoreApplication::translate("EvaluateCommand", text);
}

namespace {

struct LabelledText
{
    QString text;
    Category actual;
};

struct Evaluation
{
    QString model;
    ClassificationMetrics metrics;
    // Tickets the provider gave no valid answer for; not in the metrics.
    qint64 failed = 0;
    double ticketsPerSecond = 0.0;
    QString speedBasis;
};

Evaluation evaluateLocally(const LocalClassifier &classifier, const QList<LabelledText> &rows)
{
    Evaluation evaluation;
    evaluation.model = classifier.modelName();
    qint64 nanoseconds = 0;
    QElapsedTimer timer;
    for (const LabelledText &row : rows) {
        timer.start();
        const Prediction prediction = classifier.predict(row.text);
        nanoseconds += timer.nsecsElapsed();
        evaluation.metrics.add(row.actual, prediction.category, prediction.confidence);
    }
    evaluation.ticketsPerSecond =
        nanoseconds > 0 ? double(evaluation.metrics.count()) * 1e9 / double(nanoseconds) : 0.0;
    evaluation.speedBasis = tr("classification only, one thread");
    return evaluation;
}

// Sends every ticket at once; the client keeps its own limit of requests in flight.
Evaluation evaluateRemotely(const LlmSettings &settings, const QList<LabelledText> &rows)
{
    Evaluation evaluation;
    evaluation.model = settings.model;
    LlmClient client(settings);
    QEventLoop loop;
    qsizetype remaining = rows.size();
    QElapsedTimer wallClock;
    wallClock.start();
    for (const LabelledText &row : rows) {
        client.classify(row.text).then(&loop, [&, actual = row.actual](const LlmOutcome &outcome) {
            if (outcome.succeeded())
                evaluation.metrics.add(actual, outcome.prediction->category,
                                       outcome.prediction->confidence);
            else
                ++evaluation.failed;
            if (--remaining == 0)
                loop.quit();
        });
    }
    if (remaining > 0)
        loop.exec();
    const qint64 elapsed = wallClock.elapsed();
    evaluation.ticketsPerSecond =
        elapsed > 0 ? double(rows.size()) * 1000.0 / double(elapsed) : 0.0;
    evaluation.speedBasis =
        tr("wall clock, %1 requests at a time").arg(settings.maxConcurrentRequests);
    return evaluation;
}

// The learned model to evaluate: the metadata file --model names, else the database's active
// model. Null with *error set when there is none; *missing tells "none" from "unreadable".
std::unique_ptr<LocalClassifier> loadLearnedModel(const CommandLine &commandLine, QString *error,
                                                  bool *missing)
{
    *missing = false;
    if (!commandLine.modelPath.isEmpty()) {
        *missing = !QFileInfo::exists(commandLine.modelPath);
        return FastTextClassifier::load(commandLine.modelPath, error);
    }
    const DatabaseConfig &config = commandLine.database;
    // Evaluating must not leave an empty database behind where none was.
    if (config.driver == QLatin1String("QSQLITE") && !QFileInfo::exists(config.databaseName)) {
        *missing = true;
        *error = tr("no database at %1").arg(config.databaseName);
        return nullptr;
    }
    const Database database(config);
    std::unique_ptr<LocalClassifier> classifier;
    try {
        database.migrate();
        if (const QString imported = FastTextModelStore(database).importVersion03Files();
            !imported.isEmpty())
            QTextStream(stderr) << tr("support-console: %1").arg(imported) << Qt::endl;
        qint64 id = -1;
        classifier = LearnedModelStore(database).load(error, &id);
        *missing = id == 0;
    } catch (const StorageError &storageError) {
        *error = storageError.message();
    }
    database.closeThreadConnection();
    return classifier;
}

} // namespace

namespace {

// evaluate --learning-curve: the linear recipe on more and more of the database's labelled
// tickets, measured on the same held-out fifth.
int learningCurve(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const DatabaseConfig &config = commandLine.database;
    if (config.driver == QLatin1String("QSQLITE") && !QFileInfo::exists(config.databaseName)) {
        err << tr("support-console: no database at %1").arg(config.databaseName) << Qt::endl;
        return 1;
    }
    const Database database(config);
    const std::optional<QList<TrainingExample>> examples =
        TrainCommand::readLabelledTickets(database);
    if (!examples)
        return 1;
    database.closeThreadConnection();
    const LearningCurve curve = LearningCurve::measure(TrainingSet(*examples));
    if (commandLine.evaluateJson)
        out << QJsonDocument(curve.toJson()).toJson(QJsonDocument::Indented);
    else
        out << curve.toText();
    return curve.points.empty() ? 1 : 0;
}

} // namespace

int EvaluateCommand::run(const CommandLine &commandLine)
{
    if (commandLine.evaluateLearningCurve)
        return learningCurve(commandLine);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList settingsErrors;
    const ClassificationOptions options = ClassificationOptions::fromSettings(
        QSettings(), QProcessEnvironment::systemEnvironment(), &settingsErrors);
    // Read at most once, and only when the learned model may be the one evaluated.
    std::optional<std::unique_ptr<LocalClassifier>> learned;
    QString learnedError;
    bool learnedMissing = false;
    const auto learnedModel = [&]() -> std::unique_ptr<LocalClassifier> & {
        if (!learned)
            learned = loadLearnedModel(commandLine, &learnedError, &learnedMissing);
        return *learned;
    };

    QString provider = commandLine.evaluateProvider;
    if (provider.isEmpty()) {
        // What the console would use first: the configured order, skipping what is not set up.
        provider = QStringLiteral("rules");
        for (ClassificationProvider candidate : options.order) {
            bool setUp = candidate == ClassificationProvider::Rules;
            if (candidate == ClassificationProvider::Remote) {
                setUp = options.llm.isConfigured();
            } else if (candidate == ClassificationProvider::Learned) {
                learnedModel();
                setUp = !learnedMissing;
            }
            if (setUp) {
                provider = classificationProviderName(candidate);
                break;
            }
        }
    }

    std::unique_ptr<LocalClassifier> classifier;
    if (provider == QLatin1String("rules")) {
        classifier = std::make_unique<RulesClassifier>();
    } else if (const QStringList learnedNames{QStringLiteral("learned"), QStringLiteral("linear"),
                                              QStringLiteral("fasttext")};
               learnedNames.contains(provider)) {
        classifier = std::move(learnedModel());
        if (!classifier && learnedMissing) {
            err << tr("support-console: no trained model (%1); run support-console train "
                      "--database DB first, or give --model PATH")
                       .arg(learnedError)
                << Qt::endl;
            return 1;
        }
        if (!classifier) {
            err << tr("support-console: %1").arg(learnedError) << Qt::endl;
            return 1;
        }
        // "learned" is whichever model is active; a recipe's name asks for that recipe.
        if (provider != QLatin1String("learned") &&
            !classifier->modelName().startsWith(provider + u'-')) {
            err << tr("support-console: the learned model in use is %1, not a %2 model; use "
                      "--provider learned to evaluate it")
                       .arg(classifier->modelName(), provider)
                << Qt::endl;
            return 1;
        }
    } else if (provider == QLatin1String("remote")) {
        if (!options.llm.isConfigured()) {
            err << tr("support-console: the remote provider is not set up; set "
                      "SUPPORT_CONSOLE_AI_URL and SUPPORT_CONSOLE_AI_MODEL")
                << Qt::endl;
            return 1;
        }
    } else {
        err << tr("support-console: unknown provider \"%1\"; available: remote, learned (or "
                  "linear, fasttext), rules")
                   .arg(provider)
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

    QList<LabelledText> rows;
    qint64 skipped = 0;
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
        rows.append({row.value.text(), *actual});
    }

    const Evaluation evaluation =
        classifier ? evaluateLocally(*classifier, rows) : evaluateRemotely(options.llm, rows);
    if (commandLine.evaluateJson) {
        QJsonObject report = evaluation.metrics.toJson();
        report.insert(QStringLiteral("provider"), provider);
        report.insert(QStringLiteral("model"), evaluation.model);
        report.insert(QStringLiteral("skipped"), skipped);
        report.insert(QStringLiteral("failed"), evaluation.failed);
        report.insert(QStringLiteral("tickets_per_second"), evaluation.ticketsPerSecond);
        out << QJsonDocument(report).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << tr("provider:  %1 (%2)").arg(provider, evaluation.model) << Qt::endl
        << tr("file:      %1").arg(commandLine.importFile) << Qt::endl
        << tr("skipped:   %1 (malformed, or a queue without a category)").arg(skipped) << Qt::endl;
    if (evaluation.failed > 0) {
        out << tr("failed:    %1 (no valid answer from the provider; not scored)")
                   .arg(evaluation.failed)
            << Qt::endl;
    }
    out << tr("speed:     %1 tickets/s (%2)")
               .arg(qRound64(evaluation.ticketsPerSecond))
               .arg(evaluation.speedBasis)
        << Qt::endl
        << evaluation.metrics.toText();
    return 0;
}
