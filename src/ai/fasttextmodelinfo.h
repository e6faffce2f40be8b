#pragma once

#include "confidencecalibrator.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// What is known about one trained model: how it was trained, how well it did on held-out
// tickets, and how its confidence is calibrated. Kept as JSON with the model in the database.
struct FastTextModelInfo
{
    // Bumped when the file layout changes; older programs refuse newer files.
    static constexpr int kFormatVersion = 1;

    struct HyperParameters
    {
        int dimension = 16;
        int epochs = 25;
        double learningRate = 0.5;
        int wordNgrams = 2;
        int minCount = 1;
        int buckets = 100000;
        int seed = 1;
    };

    // "yyyyMMdd-hhmmss" of the training, in UTC.
    QString version;
    QDateTime trainedAt;
    // File name of the fastText model, in the same folder as this metadata, for a model kept in
    // files (v0.3, evaluate --model); empty for one kept in the database.
    QString modelFile;
    int tokenizerVersion = 0;
    HyperParameters hyperParameters;
    qint64 trainingSize = 0;
    qint64 heldOutSize = 0;
    double accuracy = 0.0;
    double macroF1 = 0.0;
    // Expected calibration error on held-out tickets the calibration was not fitted on.
    double expectedCalibrationError = 0.0;
    // The built-in rules on the same held-out tickets, for comparison.
    double rulesAccuracy = 0.0;
    ConfidenceCalibrator calibrator;

    QString modelName() const { return QStringLiteral("fasttext-") + version; }

    QJsonObject toJson() const;
    static std::optional<FastTextModelInfo> fromJson(const QJsonObject &json, QString *error);
};
