#include "fasttexttrainer.h"

#include "fasttextclassifier.h"
#include "fasttextmodelstore.h"
#include "fasttexttokenizer.h"
#include "rulesclassifier.h"
#include "storageerror.h"
#include "trainingset.h"

#include <QCoreApplication>
#include <QTemporaryFile>
#include <QTextStream>

#include <fasttext/args.h>
#include <fasttext/fasttext.h>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FastTextTrainer", text);
}

ClassificationMetrics evaluate(const std::vector<ConfidenceCalibrator::Sample> &samples,
                               const ConfidenceCalibrator &calibrator)
{
    ClassificationMetrics metrics;
    for (const ConfidenceCalibrator::Sample &sample : samples) {
        metrics.add(sample.actual, ConfidenceCalibrator::topCategory(sample.probabilities),
                    calibrator.confidence(sample.probabilities));
    }
    return metrics;
}

std::vector<ConfidenceCalibrator::Sample>
everyOther(const std::vector<ConfidenceCalibrator::Sample> &samples, std::size_t first)
{
    std::vector<ConfidenceCalibrator::Sample> half;
    for (std::size_t i = first; i < samples.size(); i += 2)
        half.push_back(samples[i]);
    return half;
}

bool inHeldOutShare(quint64 key, int heldOutPercent, int heldOutFrom)
{
    const int residue = int(key % 100);
    return residue >= heldOutFrom && residue < heldOutFrom + heldOutPercent;
}

} // namespace

FastTextTrainer::TrainedModel::TrainedModel() = default;
FastTextTrainer::TrainedModel::TrainedModel(TrainedModel &&) noexcept = default;
FastTextTrainer::TrainedModel &
FastTextTrainer::TrainedModel::operator=(TrainedModel &&) noexcept = default;
FastTextTrainer::TrainedModel::~TrainedModel() = default;

FastTextTrainer::FastTextTrainer()
    : m_options(Options())
{}

FastTextTrainer::FastTextTrainer(Options options)
    : m_options(std::move(options))
{}

bool FastTextTrainer::isHeldOut(QStringView text, int heldOutPercent, int heldOutFrom)
{
    return inHeldOutShare(TrainingSet::keyOf(text), heldOutPercent, heldOutFrom);
}

std::variant<FastTextTrainer::TrainedModel, QString>
FastTextTrainer::train(const QList<TrainingExample> &examples) const
{
    const TrainingSet set(examples);
    if (set.size() < m_options.minimumExamples) {
        return tr("Too few labelled tickets to train: %1 distinct, at least %2 are needed. "
                  "Import labelled tickets or have agents confirm categories.")
            .arg(set.size())
            .arg(m_options.minimumExamples);
    }
    // In key order, the examples mix sources and categories (fastText learns in file order, and
    // a file sorted by import is a poor curriculum).
    std::vector<TrainingSet::Entry> training;
    std::vector<TrainingSet::Entry> heldOut;
    for (const TrainingSet::Entry &entry : set.entries()) {
        auto &part = inHeldOutShare(entry.key, m_options.heldOutPercent, m_options.heldOutFrom)
                         ? heldOut
                         : training;
        part.push_back(entry);
    }
    if (heldOut.size() < 2 || training.empty())
        return tr("Too few labelled tickets to hold some out for testing.");

    QTemporaryFile trainingFile;
    if (!trainingFile.open())
        return tr("Cannot write a temporary training file: %1").arg(trainingFile.errorString());
    {
        std::string tokens;
        QByteArray line;
        for (const TrainingSet::Entry &keyed : training) {
            FastTextTokenizer::tokenize(keyed.example.text, &tokens);
            line = "__label__" + QByteArray(categoryName(keyed.example.category).data()) + ' ' +
                   QByteArray::fromStdString(tokens) + '\n';
            trainingFile.write(line);
        }
        if (!trainingFile.flush())
            return tr("Cannot write a temporary training file: %1").arg(trainingFile.errorString());
    }

    const FastTextModelInfo::HyperParameters &parameters = m_options.hyperParameters;
    fasttext::Args args;
    args.input = QFile::encodeName(trainingFile.fileName()).toStdString();
    args.model = fasttext::model_name::sup;
    args.loss = fasttext::loss_name::softmax;
    args.dim = parameters.dimension;
    args.epoch = parameters.epochs;
    args.lr = parameters.learningRate;
    args.wordNgrams = parameters.wordNgrams;
    args.minCount = parameters.minCount;
    args.bucket = parameters.buckets;
    args.seed = parameters.seed;
    // One thread is what makes training reproducible: with several, the order in which they
    // update the shared weights depends on scheduling.
    args.thread = 1;
    args.verbose = 0;
    // Character n-grams did not help in cross-validation on the training share and cost speed.
    args.minn = 0;
    args.maxn = 0;

    auto model = std::make_shared<fasttext::FastText>();
    try {
        model->train(args);
    } catch (const std::exception &exception) {
        return tr("fastText could not train: %1").arg(QString::fromLocal8Bit(exception.what()));
    }

    const QDateTime now = m_options.now.isValid() ? m_options.now : QDateTime::currentDateTimeUtc();
    FastTextModelInfo info;
    info.trainedAt = now.toUTC();
    info.version = info.trainedAt.toString(u"yyyyMMdd-hhmmss"_s);
    info.tokenizerVersion = FastTextTokenizer::kVersion;
    info.hyperParameters = parameters;
    info.trainingSize = qint64(training.size());
    info.heldOutSize = qint64(heldOut.size());

    QString error;
    TrainedModel result;
    result.conflicts = set.conflicts();
    result.duplicates = set.duplicates();
    result.classifier = FastTextClassifier::fromModel(std::move(model), info, &error);
    if (!result.classifier)
        return error;

    std::vector<ConfidenceCalibrator::Sample> samples;
    samples.reserve(heldOut.size());
    const RulesClassifier rules;
    for (TrainingSet::Entry &keyed : heldOut) {
        samples.push_back(
            {result.classifier->probabilities(keyed.example.text), keyed.example.category});
        const Prediction rulesPrediction = rules.predict(keyed.example.text);
        result.rulesMetrics.add(keyed.example.category, rulesPrediction.category,
                                rulesPrediction.confidence);
        result.heldOut.push_back(std::move(keyed.example));
    }

    // Cross-fitting: each half is scored with the calibration fitted on the other half.
    const ConfidenceCalibrator evenFit = ConfidenceCalibrator::fit(everyOther(samples, 0));
    const ConfidenceCalibrator oddFit = ConfidenceCalibrator::fit(everyOther(samples, 1));
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const ConfidenceCalibrator &calibrator = i % 2 == 0 ? oddFit : evenFit;
        result.crossFittedMetrics.add(samples[i].actual,
                                      ConfidenceCalibrator::topCategory(samples[i].probabilities),
                                      calibrator.confidence(samples[i].probabilities));
    }
    info.calibrator = ConfidenceCalibrator::fit(samples);
    result.metrics = evaluate(samples, info.calibrator);

    info.accuracy = result.metrics.accuracy();
    info.macroF1 = result.metrics.macroF1();
    info.expectedCalibrationError = result.crossFittedMetrics.expectedCalibrationError();
    info.rulesAccuracy = result.rulesMetrics.accuracy();
    result.classifier->setInfo(info);
    return result;
}

std::variant<FastTextTrainer::Report, QString>
FastTextTrainer::trainAndKeep(const QList<TrainingExample> &examples,
                              const FastTextModelStore &store) const
{
    auto trained = train(examples);
    if (QString *error = std::get_if<QString>(&trained))
        return *error;
    TrainedModel &model = std::get<TrainedModel>(trained);

    Report report;
    report.metrics = model.metrics;
    report.rulesMetrics = model.rulesMetrics;
    report.duplicates = model.duplicates;
    report.conflicts = model.conflicts;
    report.location = store.location();
    report.replaced = true;
    bool previousExists = false;
    try {
        previousExists = store.exists();
    } catch (const StorageError &error) {
        return error.message();
    }
    if (previousExists) {
        QString loadError;
        const std::unique_ptr<FastTextClassifier> previous = store.load(&loadError);
        if (previous) {
            // The split depends only on each text, so these tickets were held out from the
            // previous model too: both are measured on tickets neither has seen.
            ClassificationMetrics previousMetrics;
            for (const TrainingExample &example : model.heldOut) {
                const Prediction prediction = previous->predict(example.text);
                previousMetrics.add(example.category, prediction.category, prediction.confidence);
            }
            report.previous = previous->info();
            report.previousAccuracy = previousMetrics.accuracy();
            report.replaced = model.metrics.accuracy() >= previousMetrics.accuracy();
            if (previous->info().version == model.classifier->info().version) {
                FastTextModelInfo info = model.classifier->info();
                info.version += u"-2"_s;
                model.classifier->setInfo(info);
            }
        } else {
            report.previousError = loadError;
        }
    }
    if (report.replaced) {
        QString saveError;
        if (!store.save(model.classifier.get(), &saveError))
            return saveError;
    }
    report.model = model.classifier->info();
    return report;
}

QJsonObject FastTextTrainer::Report::toJson() const
{
    QJsonObject json{{u"model"_s, model.toJson()},
                     {u"held_out"_s, metrics.toJson()},
                     {u"rules_held_out"_s, rulesMetrics.toJson()},
                     {u"duplicates_skipped"_s, duplicates},
                     {u"label_conflicts_skipped"_s, conflicts},
                     {u"replaced"_s, replaced},
                     {u"stored_in"_s, location}};
    if (previous) {
        json.insert(u"previous_model"_s, previous->modelName());
        json.insert(u"previous_accuracy"_s, previousAccuracy.value_or(0.0));
    }
    if (!previousError.isEmpty())
        json.insert(u"previous_error"_s, previousError);
    return json;
}

QString FastTextTrainer::Report::toText() const
{
    QString text;
    QTextStream out(&text);
    out << tr("model:            %1").arg(model.modelName()) << '\n'
        << tr("training tickets: %1 (%2 held out for testing and calibration, %3 duplicates "
              "skipped)")
               .arg(model.trainingSize)
               .arg(model.heldOutSize)
               .arg(duplicates)
        << '\n';
    if (conflicts > 0) {
        out << tr("label conflicts:  %1 texts skipped (their copies are labelled differently, "
                  "none by a majority)")
                   .arg(conflicts)
            << '\n';
    }
    out << tr("held-out accuracy %1, macro-F1 %2 (built-in rules: accuracy %3)")
               .arg(model.accuracy, 0, 'f', 3)
               .arg(model.macroF1, 0, 'f', 3)
               .arg(model.rulesAccuracy, 0, 'f', 3)
        << '\n'
        << tr("calibration error %1 (expected calibration error, 10 bins, on tickets the "
              "calibration was not fitted on)")
               .arg(model.expectedCalibrationError, 0, 'f', 3)
        << '\n';
    if (previous && previousAccuracy) {
        out << tr("previous model:   %1, accuracy %2 on the same held-out tickets")
                   .arg(previous->modelName())
                   .arg(*previousAccuracy, 0, 'f', 3)
            << '\n';
    } else if (!previousError.isEmpty()) {
        out << tr("previous model:   unreadable (%1)").arg(previousError) << '\n';
    }
    out << (replaced ? tr("kept:             %1").arg(location)
                     : tr("not kept: the previous model scores better on these tickets"))
        << '\n'
        << '\n'
        << metrics.toText();
    return text;
}
