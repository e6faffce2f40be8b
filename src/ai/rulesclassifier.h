#pragma once

#include "confidencecalibrator.h"
#include "localclassifier.h"
#include "rulescalibration.h"

#include <QString>
#include <QStringView>

#include <optional>

// The built-in classifier: a hand-written weighted English lexicon that needs no training data.
// Its confidence is calibrated: before a team has labelled tickets by a conservative reasoned
// map (priorConfidence()), afterwards by a calibration fitted on the team's labels.
class RulesClassifier final : public LocalClassifier
{
public:
    // A lexicon hit is evidence, not proof: keyword rules for three broad categories are right
    // on roughly three real tickets in five, so even the strongest evidence claims no more than
    // this, and no evidence at all claims chance, one in three. Chosen by that reasoning, not
    // fitted to any data, so that a fresh install flags for review every ticket whose evidence
    // is not overwhelming.
    static constexpr double kPriorCeiling = 0.7;

    RulesClassifier() = default;
    // With a calibration fitted on a team's labels; version names it in results.
    RulesClassifier(RulesCalibration fitted, QString calibrationVersion);

    // Safe to call from several threads: the lexicon is built once and only read.
    Prediction predict(QStringView text) const override;
    // What the lexicon saw, before any calibration: what a calibration is fitted on.
    RulesCalibration::Reading reading(QStringView text) const;
    // The conservative map used before any labels: monotone, so it ranks as the lexicon does.
    static double priorConfidence(double probability);
    bool isFitted() const { return m_fitted.has_value(); }

    // Versioned, so results can be traced to the lexicon that made them.
    QString modelName() const override;
    // The lexicon's revision, bumped whenever its terms or weights change, and which
    // calibration made the confidence: "1+prior" or "1+cal-<version>".
    QString modelVersion() const override;

private:
    struct Evidence
    {
        ConfidenceCalibrator::Probabilities probabilities{};
        // The lexicon's summed weights per category, before the general prior.
        std::array<double, kAllCategories.size()> scores{};
        Category category = Category::General;
        double urgency = 0.0;
    };
    Evidence evidence(QStringView text) const;

    std::optional<RulesCalibration> m_fitted;
    QString m_calibrationVersion;
};
