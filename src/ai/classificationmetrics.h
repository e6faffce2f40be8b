#pragma once

#include "category.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <vector>

// Accumulates a classifier's answers against known categories and reports how good they are:
// accuracy, per-category precision/recall/F1, macro-F1, the confusion matrix and the expected
// calibration error (how far confidence is from the observed hit rate).
class ClassificationMetrics final
{
public:
    static constexpr int kCalibrationBins = 10;

    void add(Category actual, Category predicted, double confidence);

    qint64 count() const { return qint64(m_samples.size()); }
    double accuracy() const;
    double precision(Category category) const;
    double recall(Category category) const;
    double f1(Category category) const;
    double macroF1() const;
    qint64 confusion(Category actual, Category predicted) const;
    // One equal-width confidence bin of a reliability table.
    struct ReliabilityBin
    {
        qint64 count = 0;
        double meanConfidence = 0.0;
        double accuracy = 0.0;
    };
    // kCalibrationBins bins from [0, 0.1) to [0.9, 1]; an empty bin has count 0.
    std::array<ReliabilityBin, kCalibrationBins> reliability() const;
    // Weighted mean over equal-width confidence bins of |hit rate - mean confidence|.
    double expectedCalibrationError() const;
    // How well confidence separates right answers from wrong ones: the chance that a right
    // answer has the higher confidence of a random right and wrong pair (ties count half). A
    // constant confidence scores 0.5 however well it is calibrated; so do no pairs at all.
    double confidenceAuroc() const;
    // Mean squared difference between confidence and being right (1) or wrong (0).
    double brierScore() const;

    QJsonObject toJson() const;
    QString toText() const;

private:
    struct Sample
    {
        bool correct;
        double confidence;
    };

    static std::size_t index(Category category) { return static_cast<std::size_t>(category); }

    std::array<std::array<qint64, kAllCategories.size()>, kAllCategories.size()> m_confusion{};
    std::vector<Sample> m_samples;
};
