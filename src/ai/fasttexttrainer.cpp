#include "fasttexttrainer.h"

#include "fasttextclassifier.h"
#include "fasttexttokenizer.h"
#include "rulesclassifier.h"
#include "trainingset.h"

#include <QCoreApplication>
#include <QTemporaryFile>

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
