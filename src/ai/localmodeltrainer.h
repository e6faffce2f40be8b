#pragma once

#include "classificationmetrics.h"
#include "learnedmodelstore.h"
#include "linearmodelinfo.h"
#include "linearmodeltrainer.h"
#include "modelgate.h"
#include "rulescalibration.h"
#include "trainingexample.h"
#include "trainingset.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

class Database;

// What `train` and background retraining do: train the linear recipe on every labelled ticket,
// and make it the model every node uses only if it earns its place. The recipe must beat the
// built-in rules on the same tickets (its out-of-fold answers against theirs), and beat the
// active model when that is another recipe (on the tickets that model never trained on). A
// pinned model stays. Anything else keeps what is active, and the report says why.
class LocalModelTrainer final
{
    Q_DECLARE_TR_FUNCTIONS(LocalModelTrainer)

public:
    static constexpr int kMinimumExamples = 100;
    static constexpr qint64 kLearningCurveLargest = 20'000;
    static constexpr qint64 kFewerFoldsAbove = 40'000;

    struct Options
    {
        LinearModelTrainer::Options linear;
        int minimumExamples = kMinimumExamples;
        // The training's date; the current time when null. Tests pin it.
        QDateTime now;
    };

    // The rules' confidence, fitted on the same labelled tickets. Kept when its Brier score,
    // measured on folds it was not fitted on, beats the conservative prior's.
    struct RulesFit
    {
        ClassificationMetrics prior;
        ClassificationMetrics crossFitted;
        RulesCalibration calibration;
        bool stored = false;
    };

    struct Report
    {
        LinearModelInfo candidate;
        // Out of fold, and the rules on the same tickets.
        ClassificationMetrics metrics;
        ClassificationMetrics rulesMetrics;
        qint64 duplicates = 0;
        qint64 conflicts = 0;
        ModelGate::Verdict againstRules;
        // Against the active model of another recipe, on the tickets it never trained on.
        std::optional<ModelGate::Verdict> againstActive;
        RulesFit rulesCalibration;
        // The model active before, and why it could not be compared if it could not.
        std::optional<LearnedModelStore::Summary> previous;
        QString previousError;
        bool replaced = false;
        qint64 storedId = 0;
        // In words for a team lead: what is active now, and why.
        QString decision;
        QString location;

        QJsonObject toJson() const;
        QString toText() const;
    };

    LocalModelTrainer();
    explicit LocalModelTrainer(Options options);

    // Returns the report, or why nothing could be trained (too few labelled tickets). Throws
    // StorageError, and TrainingCancelled when options.linear.stop is requested before the
    // model is stored. Blocks for as long as training takes: call it off the GUI and API threads.
    std::variant<Report, QString> trainAndKeep(const QList<TrainingExample> &examples,
                                               const Database &database) const;

private:
    // Fits and, when it earns it, stores the rules' calibration; throws StorageError.
    RulesFit calibrateRules(const TrainingSet &set, const Database &database,
                            const LinearModelInfo &info, int folds) const;

    Options m_options;
};
