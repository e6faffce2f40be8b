// Trains the learned model on the dataset's English rows as the program would, then reports its
// held-out scores next to the rules' and how many tickets per second one thread classifies.
// Also reports 5-fold cross-validation on the training share alone: what changes to the model
// should be judged by, so the held-out tickets are not worn out by repeated looks.
//   bench_fasttext [DATASET_DIR]     (run under `taskset -c 0` to hold it to one core)

#include "categorymapping.h"
#include "csvreader.h"
#include "database.h"
#include "datasetcsvformat.h"
#include "fasttextclassifier.h"
#include "fasttexttrainer.h"
#include "linearmodeltrainer.h"
#include "localmodeltrainer.h"
#include "rulesclassifier.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <map>

using namespace Qt::StringLiterals;

// The file each text came from, to report accuracy per dataset version.
static QHash<QString, QString> s_sourceFile;

// Every row in the language, or in any language when it is empty.
static QList<TrainingExample> readDataset(const QString &folder, const QString &language = u"en"_s)
{
    QList<TrainingExample> examples;
    QSet<QString> seen;
    const QStringList files = QDir(folder).entryList({u"*.csv"_s}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(QDir(folder).filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        CsvReader reader(&file);
        CsvReader::Record record;
        if (!reader.readRecord(&record))
            continue;
        const DatasetCsvFormat format(record.fields);
        while (reader.readRecord(&record)) {
            const auto row = format.draftFromRow(record.fields);
            if (!row.isValid() || !row.value.dataset ||
                (!language.isEmpty() && row.value.dataset->language != language)) {
                continue;
            }
            const auto category = CategoryMapping::categoryForQueue(row.value.dataset->queue);
            const QString text = row.value.text();
            if (category && !seen.contains(text)) {
                seen.insert(text);
                s_sourceFile.insert(text, name);
                examples.append({text, *category, false});
            }
        }
    }
    return examples;
}

// 5-fold cross-validation on the training share: the held-out share is hash residues 0..19,
// each fold holds out 16 of the residues 20..99 and trains on the other 64.
static void crossValidate(const QList<TrainingExample> &examples, QTextStream &out)
{
    constexpr int kHeldOutPercent = 20;
    constexpr int kFolds = 5;
    constexpr int kFoldPercent = (100 - kHeldOutPercent) / kFolds;
    QList<TrainingExample> trainingShare;
    for (const TrainingExample &example : examples) {
        if (!FastTextTrainer::isHeldOut(example.text, kHeldOutPercent))
            trainingShare.append(example);
    }
    ClassificationMetrics all;
    ClassificationMetrics rulesAll;
    std::map<QString, std::pair<ClassificationMetrics, ClassificationMetrics>> perFile;
    const RulesClassifier rules;
    out << Qt::endl
        << "5-fold cross-validation on the training share (" << trainingShare.size()
        << " tickets), accuracy per fold:";
    for (int fold = 0; fold < kFolds; ++fold) {
        FastTextTrainer::Options options;
        options.heldOutFrom = kHeldOutPercent + fold * kFoldPercent;
        options.heldOutPercent = kFoldPercent;
        auto result = FastTextTrainer(options).train(trainingShare);
        if (const QString *error = std::get_if<QString>(&result)) {
            out << Qt::endl << "fold " << fold << " failed: " << *error << Qt::endl;
            return;
        }
        const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
        ClassificationMetrics foldMetrics;
        for (const TrainingExample &example : model.heldOut) {
            const Prediction prediction = model.classifier->predict(example.text);
            const Prediction rulesPrediction = rules.predict(example.text);
            foldMetrics.add(example.category, prediction.category, prediction.confidence);
            all.add(example.category, prediction.category, prediction.confidence);
            rulesAll.add(example.category, rulesPrediction.category, rulesPrediction.confidence);
            auto &[fileMetrics, fileRules] = perFile[s_sourceFile.value(example.text)];
            fileMetrics.add(example.category, prediction.category, prediction.confidence);
            fileRules.add(example.category, rulesPrediction.category, rulesPrediction.confidence);
        }
        out << ' ' << QString::number(foldMetrics.accuracy(), 'f', 3);
    }
    out << Qt::endl
        << "cross-validated accuracy " << QString::number(all.accuracy(), 'f', 3) << ", macro-F1 "
        << QString::number(all.macroF1(), 'f', 3)
        << " (rules: " << QString::number(rulesAll.accuracy(), 'f', 3) << ", "
        << QString::number(rulesAll.macroF1(), 'f', 3) << ")" << Qt::endl;
    for (const auto &[file, metrics] : perFile) {
        out << "  " << file << ": " << QString::number(metrics.first.accuracy(), 'f', 3)
            << " (rules " << QString::number(metrics.second.accuracy(), 'f', 3) << ")" << Qt::endl;
    }
}

struct LinearScores
{
    ClassificationMetrics linear;
    // The rules as a fresh install has them, and calibrated on the training tickets as a team
    // with these labels has them.
    ClassificationMetrics rules;
    ClassificationMetrics fittedRules;
};

// Trains the linear model as train does on the training tickets and adds its, the rules' and the
// fitted rules' answers on the held-out tickets to every one of scoresList.
static LinearModelTrainer::Result scoreLinear(const QList<TrainingExample> &training,
                                              const QList<TrainingExample> &heldOut,
                                              std::initializer_list<LinearScores *> scoresList)
{
    LinearModelTrainer::Result result = LinearModelTrainer().train(TrainingSet(training));
    const RulesClassifier rules;
    std::vector<RulesCalibration::Sample> samples;
    for (const TrainingExample &example : training) {
        const RulesCalibration::Reading reading = rules.reading(example.text);
        samples.push_back({reading, reading.named == example.category});
    }
    const RulesClassifier fittedRules(RulesCalibration::fit(samples), u"bench"_s);
    for (const TrainingExample &example : heldOut) {
        const auto [category, confidence] = result.model.classify(example.text);
        const Prediction prior = rules.predict(example.text);
        const Prediction fitted = fittedRules.predict(example.text);
        for (LinearScores *scores : scoresList) {
            scores->linear.add(example.category, category, confidence);
            scores->rules.add(example.category, prior.category, prior.confidence);
            scores->fittedRules.add(example.category, fitted.category, fitted.confidence);
        }
    }
    return result;
}

static QString scoreLine(const ClassificationMetrics &m)
{
    return QStringLiteral("accuracy %1, macro-F1 %2, ECE %3, AUROC %4")
        .arg(m.accuracy(), 0, 'f', 3)
        .arg(m.macroF1(), 0, 'f', 3)
        .arg(m.expectedCalibrationError(), 0, 'f', 3)
        .arg(m.confidenceAuroc(), 0, 'f', 3);
}

// The linear SVM on TF-IDF features of stemmed words and word pairs (liblinear), trained on the
// training share with its own cross-validation, measured on the same held-out tickets as
// fastText.
static void linearModel(const QList<TrainingExample> &examples, QTextStream &out)
{
    QList<TrainingExample> trainingShare;
    QList<TrainingExample> heldOut;
    for (const TrainingExample &example : examples)
        (FastTextTrainer::isHeldOut(example.text, 20) ? heldOut : trainingShare).append(example);
    QElapsedTimer timer;
    timer.start();
    LinearScores scores;
    const LinearModelTrainer::Result result = scoreLinear(trainingShare, heldOut, {&scores});
    out << Qt::endl
        << "linear SVM (liblinear -s 2, TF-IDF stemmed uni+bigrams): trained and scored in "
        << timer.elapsed() << " ms on " << trainingShare.size() << " tickets, "
        << result.model.vectorizer().size() << " features, C = " << result.cost << Qt::endl
        << "  out-of-fold accuracy per C:";
    for (const double accuracy : result.costAccuracy)
        out << ' ' << QString::number(accuracy, 'f', 3);
    out << Qt::endl
        << "  out-of-fold: " << scoreLine(result.crossValidated) << Qt::endl
        << "  held out (" << heldOut.size() << "): " << scoreLine(scores.linear) << Qt::endl
        << "  rules on them, cautious default: " << scoreLine(scores.rules) << Qt::endl
        << "  rules on them, calibrated on the training share: " << scoreLine(scores.fittedRules)
        << Qt::endl;
    qint64 done = 0;
    int sink = 0;
    timer.restart();
    while (timer.elapsed() < 3000) {
        for (const TrainingExample &example : heldOut)
            sink += int(result.model.classify(example.text).first);
        done += heldOut.size();
    }
    // The answers are summed and looked at, so the loop cannot be optimised away.
    const double rate = sink >= 0 ? double(done) / (double(timer.nsecsElapsed()) / 1e9) : 0.0;
    out << "  " << qRound64(rate) << " tickets/s on one thread" << Qt::endl;
}

// Every English ticket held out once: five folds of hash residues, each trained on the other
// four. 479 held-out tickets alone measure accuracy within about +-0.045 (two standard errors);
// all 2,469 within about +-0.02, which is what a margin of 0.05 needs.
static void linearCrossValidated(const QList<TrainingExample> &examples, QTextStream &out)
{
    constexpr int kFolds = 5;
    LinearScores scores;
    out << Qt::endl
        << "linear SVM, 5-fold cross-validation over every English ticket, accuracy per fold "
           "(rules):";
    for (int fold = 0; fold < kFolds; ++fold) {
        QList<TrainingExample> training;
        QList<TrainingExample> heldOut;
        for (const TrainingExample &example : examples) {
            const bool held =
                FastTextTrainer::isHeldOut(example.text, 100 / kFolds, fold * (100 / kFolds));
            (held ? heldOut : training).append(example);
        }
        LinearScores foldScores;
        scoreLinear(training, heldOut, {&foldScores, &scores});
        out << ' ' << QString::number(foldScores.linear.accuracy(), 'f', 3) << " ("
            << QString::number(foldScores.rules.accuracy(), 'f', 3) << ")";
    }
    out << Qt::endl
        << "  linear, all " << examples.size() << " held out once: " << scoreLine(scores.linear)
        << Qt::endl
        << "  rules, cautious default: " << scoreLine(scores.rules) << Qt::endl
        << "  rules, calibrated on the other folds: " << scoreLine(scores.fittedRules) << Qt::endl
        << Qt::endl
        << "  linear:" << Qt::endl
        << scores.linear.toText() << Qt::endl
        << "  rules, calibrated:" << Qt::endl
        << scores.fittedRules.toText() << Qt::endl;
}

template<typename Classifier>
static double ticketsPerSecond(const Classifier &classifier, const QList<TrainingExample> &examples)
{
    qint64 done = 0;
    int sink = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 3000) {
        for (const TrainingExample &example : examples)
            sink += int(classifier.predict(example.text).category);
        done += examples.size();
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    return sink >= 0 ? double(done) / seconds : 0.0;
}

// The linear recipe's training time at a team's scale: `count` tickets, each the first half of
// one dataset row (any language) and the second half of another, labelled as the second. Their
// words are real, so the vocabulary and the solver's work are as for real tickets; what the
// model learns from them does not matter here.
static int trainingTime(const QString &folder, int count, QTextStream &out)
{
    const QList<TrainingExample> rows = readDataset(folder, QString());
    if (rows.isEmpty())
        return 1;
    QList<TrainingExample> examples;
    examples.reserve(count);
    for (int i = 0; i < count; ++i) {
        const TrainingExample &first = rows[i % rows.size()];
        const TrainingExample &second =
            rows[int((qint64(i) * 7919 + i / rows.size()) % rows.size())];
        examples.append({first.text.left(first.text.size() / 2) + u' ' +
                             second.text.mid(second.text.size() / 2),
                         second.category, false});
    }
    // All that `train` does, into a scratch SQLite database: cross-validation with the choice
    // of C, cross-fitted calibration, the learning curve, the rules' calibration and the gate.
    QTemporaryDir scratch;
    const Database database(DatabaseConfig::sqlite(scratch.filePath(u"bench.db"_s)));
    database.migrate();
    QElapsedTimer timer;
    timer.start();
    const auto result = LocalModelTrainer().trainAndKeep(examples, database);
    const qint64 wallMs = timer.elapsed();
    database.closeThreadConnection();
    if (const QString *error = std::get_if<QString>(&result)) {
        out << "training failed: " << *error << Qt::endl;
        return 1;
    }
    const LocalModelTrainer::Report &report = std::get<LocalModelTrainer::Report>(result);
    out << "TRAINING tickets=" << report.candidate.trainingSize << " cost=" << report.candidate.cost
        << " wall_ms=" << wallMs << " threads=" << QThread::idealThreadCount() << Qt::endl;
    return 0;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QString folder =
        argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(BENCH_DATASET_DIR);
    // bench_fasttext DATASET_DIR --training-time N
    if (argc > 3 && QByteArrayView(argv[2]) == "--training-time")
        return trainingTime(folder, QByteArray(argv[3]).toInt(), out);
    const QList<TrainingExample> examples = readDataset(folder);
    out << "English rows (distinct texts): " << examples.size() << Qt::endl;

    QElapsedTimer timer;
    timer.start();
    auto result = FastTextTrainer().train(examples);
    if (const QString *error = std::get_if<QString>(&result)) {
        out << "training failed: " << *error << Qt::endl;
        return 1;
    }
    const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
    const FastTextModelInfo &info = model.classifier->info();
    out << "training time: " << timer.elapsed() << " ms" << Qt::endl
        << "training / held out: " << info.trainingSize << " / " << info.heldOutSize << Qt::endl
        << "held-out accuracy: " << info.accuracy << Qt::endl
        << "held-out macro-F1: " << info.macroF1 << Qt::endl
        << "rules accuracy on the same held-out tickets: " << info.rulesAccuracy << Qt::endl
        << "rules macro-F1 on the same held-out tickets: " << model.rulesMetrics.macroF1()
        << Qt::endl
        << "ECE, cross-fitted (calibration fitted on the other half): "
        << info.expectedCalibrationError << Qt::endl
        << "ECE, calibration fitted on all held-out tickets: "
        << model.metrics.expectedCalibrationError() << Qt::endl
        << "calibration: temperature " << info.calibrator.temperature() << ", slope "
        << info.calibrator.slope() << ", intercept " << info.calibrator.intercept() << Qt::endl
        << "ECE before calibration: " <<
        [&] {
            ClassificationMetrics raw;
            for (const TrainingExample &example : model.heldOut) {
                const auto p = model.classifier->probabilities(example.text);
                const Category top = ConfidenceCalibrator::topCategory(p);
                raw.add(example.category, top, p[std::size_t(top)]);
            }
            return raw.expectedCalibrationError();
        }()
        << Qt::endl;
    out << Qt::endl << model.metrics.toText() << Qt::endl;
    linearModel(examples, out);
    linearCrossValidated(examples, out);
    crossValidate(examples, out);
    out << Qt::endl;

    out << "fasttext: " << qRound64(ticketsPerSecond(*model.classifier, examples))
        << " tickets/s on one thread (tokenise, predict, calibrate, rules priority)" << Qt::endl;
    out << "rules:    " << qRound64(ticketsPerSecond(RulesClassifier(), examples))
        << " tickets/s on one thread" << Qt::endl;
    return 0;
}
