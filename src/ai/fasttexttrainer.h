#pragma once

#include "classificationmetrics.h"
#include "fasttextmodelinfo.h"
#include "trainingexample.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <variant>
#include <vector>

class FastTextClassifier;

// Trains a fastText model from labelled tickets, deterministically: the same examples give the
// same model file. A fixed share of the tickets, chosen by a hash of their text, is held out to
// calibrate the confidence and to measure the model against the rules. The program no longer
// trains it (LocalModelTrainer trains the linear model); bench_fasttext and the tests do.
class FastTextTrainer final
{
public:
    static constexpr int kMinimumExamples = 100;

    struct Options
    {
        FastTextModelInfo::HyperParameters hyperParameters;
        int heldOutPercent = 20;
        // First hash residue (of 100) of the held-out share. Moving it over the training share
        // gives cross-validation folds that never touch the usual held-out tickets (see
        // bench_fasttext); the program itself always uses 0.
        int heldOutFrom = 0;
        int minimumExamples = kMinimumExamples;
        // The training's date; the current time when null. Tests pin it.
        QDateTime now;
    };

    // A model trained in memory, with its scores on the held-out tickets.
    struct TrainedModel
    {
        TrainedModel();
        TrainedModel(TrainedModel &&) noexcept;
        TrainedModel &operator=(TrainedModel &&) noexcept;
        ~TrainedModel();

        std::unique_ptr<FastTextClassifier> classifier;
        std::vector<TrainingExample> heldOut;
        // Calibrated on the held-out tickets themselves (the model that is kept).
        ClassificationMetrics metrics;
        // Calibrated on one half of the held-out tickets and measured on the other, both ways:
        // the honest calibration error.
        ClassificationMetrics crossFittedMetrics;
        ClassificationMetrics rulesMetrics;
        // Copies of a text beyond the first, and texts left out because their copies' labels
        // tie.
        qint64 duplicates = 0;
        qint64 conflicts = 0;
    };

    FastTextTrainer();
    explicit FastTextTrainer(Options options);

    // Whether a text belongs to the held-out share; stable across runs and databases.
    static bool isHeldOut(QStringView text, int heldOutPercent, int heldOutFrom = 0);

    // Returns the trained model, or a message saying why it could not be trained.
    std::variant<TrainedModel, QString> train(const QList<TrainingExample> &examples) const;

private:
    Options m_options;
};
