#pragma once

#include "classificationmetrics.h"
#include "fasttextmodelinfo.h"
#include "trainingexample.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <variant>
#include <vector>

class FastTextClassifier;
class FastTextModelStore;

// Trains the learned model from labelled tickets, deterministically: the same examples give the
// same model file. A fixed share of the tickets, chosen by a hash of their text, is held out to
// calibrate the confidence and to measure the model against the rules and the previous model.
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

    struct Report
    {
        FastTextModelInfo model;
        ClassificationMetrics metrics;
        ClassificationMetrics rulesMetrics;
        qint64 duplicates = 0;
        qint64 conflicts = 0;
        // The model that was in place, and its accuracy on this training's held-out tickets.
        std::optional<FastTextModelInfo> previous;
        std::optional<double> previousAccuracy;
        QString previousError;
        bool replaced = false;
        // Where the model was kept: the database, without passwords.
        QString location;

        QJsonObject toJson() const;
        QString toText() const;
    };

    FastTextTrainer();
    explicit FastTextTrainer(Options options);

    // Whether a text belongs to the held-out share; stable across runs and databases.
    static bool isHeldOut(QStringView text, int heldOutPercent, int heldOutFrom = 0);

    // Returns the trained model, or a message saying why it could not be trained.
    std::variant<TrainedModel, QString> train(const QList<TrainingExample> &examples) const;
    // Trains, then keeps the new model in the store only if it scores at least as well on this
    // training's held-out tickets as the model already there. A database failure is returned
    // as the message.
    std::variant<Report, QString> trainAndKeep(const QList<TrainingExample> &examples,
                                               const FastTextModelStore &store) const;

private:
    Options m_options;
};
