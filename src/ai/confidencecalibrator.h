#pragma once

#include "category.h"

#include <QJsonObject>

#include <array>
#include <optional>
#include <vector>

// Turns a model's class probabilities into a confidence that matches how often the model is
// right: temperature scaling of the probabilities, then a logistic map of the top class's
// tempered probability, shifted for the category it names. Fitted on examples the model was not
// trained on.
//
// The shift is there because a model is right far more often for some categories than for
// others (the rules' "billing" is rarely wrong, their "technical" often is); without it two
// answers with the same probability get the same confidence, and confidence separates right
// from wrong answers little better than the probability itself.
class ConfidenceCalibrator final
{
public:
    using Probabilities = std::array<double, kAllCategories.size()>;

    struct Sample
    {
        Probabilities probabilities{};
        Category actual = Category::General;
    };

    using Offsets = std::array<double, kAllCategories.size()>;

    // The identity: confidence is the top class's probability.
    ConfidenceCalibrator() = default;
    ConfidenceCalibrator(double temperature, double slope, double intercept,
                         const Offsets &offsets = {});

    // Deterministic: the same samples give the same parameters. Fewer than two samples give
    // the identity.
    static ConfidenceCalibrator fit(const std::vector<Sample> &samples);

    // The category with the highest probability (ties go to the earlier category).
    static Category topCategory(const Probabilities &probabilities);
    // Probabilities raised to 1/temperature and renormalised.
    Probabilities tempered(const Probabilities &probabilities) const;
    // Calibrated probability that topCategory() is right, in [0, 1].
    double confidence(const Probabilities &probabilities) const;

    double temperature() const { return m_temperature; }
    double slope() const { return m_slope; }
    double intercept() const { return m_intercept; }
    // Added to the intercept when the top class is that category.
    const Offsets &offsets() const { return m_offsets; }

    QJsonObject toJson() const;
    static std::optional<ConfidenceCalibrator> fromJson(const QJsonObject &json);

private:
    double m_temperature = 1.0;
    double m_slope = 1.0;
    double m_intercept = 0.0;
    Offsets m_offsets{};
};
