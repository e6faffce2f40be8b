#pragma once

#include "learningcurve.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// What is known about one trained linear model, kept as JSON beside it in the database: how it
// was trained and how its recipe scored out of fold, beside the built-in rules on the same
// tickets. The calibration travels inside the model itself.
struct LinearModelInfo
{
    // Bumped when the JSON changes in a way older programs would misread.
    static constexpr int kFormatVersion = 1;

    // "yyyyMMdd-hhmmss" of the training, in UTC.
    QString version;
    QDateTime trainedAt;
    qint64 trainingSize = 0;
    int folds = 0;
    double cost = 0.0;
    // Out of fold: every ticket scored by the model trained without its fold.
    double accuracy = 0.0;
    double macroF1 = 0.0;
    double expectedCalibrationError = 0.0;
    double confidenceAuroc = 0.0;
    // The built-in rules on the same tickets.
    double rulesAccuracy = 0.0;
    double rulesMacroF1 = 0.0;
    // Accuracy by training tickets up to 20,000, on the same held-out fold, for the chart.
    LearningCurve learningCurve;

    QString modelName() const { return QStringLiteral("linear-") + version; }

    QJsonObject toJson() const;
    static std::optional<LinearModelInfo> fromJson(const QJsonObject &json, QString *error);
};
