// Trains the learned model on the dataset's English rows as the program would, then reports its
// held-out scores next to the rules' and how many tickets per second one thread classifies.
//   bench_fasttext [DATASET_DIR]     (run under `taskset -c 0` to hold it to one core)

#include "categorymapping.h"
#include "csvreader.h"
#include "datasetcsvformat.h"
#include "fasttextclassifier.h"
#include "fasttexttrainer.h"
#include "rulesclassifier.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QTextStream>

using namespace Qt::StringLiterals;

static QList<TrainingExample> readDataset(const QString &folder)
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
            if (!row.isValid() || !row.value.dataset || row.value.dataset->language != u"en"_s)
                continue;
            const auto category = CategoryMapping::categoryForQueue(row.value.dataset->queue);
            const QString text = row.value.text();
            if (category && !seen.contains(text)) {
                seen.insert(text);
                examples.append({text, *category, false});
            }
        }
    }
    return examples;
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

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QString folder =
        argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(BENCH_DATASET_DIR);
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

    out << "fasttext: " << qRound64(ticketsPerSecond(*model.classifier, examples))
        << " tickets/s on one thread (tokenise, predict, calibrate, rules priority)" << Qt::endl;
    out << "rules:    " << qRound64(ticketsPerSecond(RulesClassifier(), examples))
        << " tickets/s on one thread" << Qt::endl;
    return 0;
}
