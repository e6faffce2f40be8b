#pragma once

#include "category.h"
#include "confidencecalibrator.h"
#include "textngrams.h"
#include "tfidfvectorizer.h"

#include <QByteArray>
#include <QStringView>

#include <array>
#include <optional>
#include <vector>

// A linear classifier over TF-IDF word and word-pair features: one weight per feature and
// category, plus a bias, and the calibration that turns its scores into a confidence. Everything
// it needs travels in toBytes(), so the database can hold it and every node reads the same model.
// Predicting only reads, so threads may share one.
class LinearModel final
{
public:
    using Scores = std::array<double, kAllCategories.size()>;

    struct Weights
    {
        int featureCount = 0;
        // featureCount rows of one weight per category, row-major.
        std::vector<float> values;
        Scores bias{};
        // A category no training ticket had is never predicted.
        std::array<bool, kAllCategories.size()> known{};
    };

    LinearModel() = default;
    // ngramsVersion: the TextNgrams keys the vectorizer was built from; a model stored before
    // stemming keeps reading tickets as it was trained to.
    LinearModel(TfidfVectorizer vectorizer, Weights weights, ConfidenceCalibrator calibrator,
                int ngramsVersion = TextNgrams::kVersion);

    // The categories' scores for a vector of this model's vectorizer; an unknown category scores
    // -infinity.
    Scores scores(const TfidfVectorizer::Vector &vector) const { return scores(m_weights, vector); }
    static Scores scores(const Weights &weights, const TfidfVectorizer::Vector &vector);
    Scores scores(QStringView text) const;
    // Scores as probabilities (a softmax), before calibration.
    static ConfidenceCalibrator::Probabilities probabilities(const Scores &scores);
    // The category and its calibrated confidence.
    std::pair<Category, double> classify(QStringView text) const;

    const TfidfVectorizer &vectorizer() const { return m_vectorizer; }
    const Weights &weights() const { return m_weights; }
    const ConfidenceCalibrator &calibrator() const { return m_calibrator; }
    int ngramsVersion() const { return m_ngramsVersion; }

    QByteArray toBytes() const;
    // Null when the bytes are not a whole model of this format.
    static std::optional<LinearModel> fromBytes(const QByteArray &bytes);

private:
    TfidfVectorizer m_vectorizer;
    Weights m_weights;
    ConfidenceCalibrator m_calibrator;
    int m_ngramsVersion = TextNgrams::kVersion;
};
