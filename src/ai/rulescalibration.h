#pragma once

#include "category.h"

#include <QJsonObject>

#include <array>
#include <optional>
#include <vector>

// The rules' confidence once a team has labelled tickets: the probability that their answer is
// right, by L2-regularised logistic regression (liblinear's solver 0, in the primal, so the same
// labels always give the same calibration) on what the rules saw in the ticket: the category
// they named, the lexicon's probability for it, and how much evidence the lexicon found for each
// category, each weighed per named category.
//
// The probability alone ranks poorly: it says how far ahead the winner was, not how much was
// found, and the rules are right far more often for some categories than for others (billing
// nine times in ten, technical little more than half the time on the shared tickets).
class RulesCalibration final
{
public:
    // What the rules saw in one ticket.
    struct Reading
    {
        Category named = Category::General;
        // The lexicon's probability for the named category.
        double probability = 1.0 / 3.0;
        // The lexicon's summed weights per category.
        std::array<double, kAllCategories.size()> evidence{};
    };

    struct Sample
    {
        Reading reading;
        bool right = false;
    };

    static constexpr std::size_t kFeatures = 13;
    // Cost C of the regression: liblinear's and scikit-learn's default.
    static constexpr double kCost = 1.0;

    // Every answer sigmoid(bias): 0.5 by default.
    explicit RulesCalibration(double bias = 0.0);

    // Deterministic. Without both right and wrong answers there is nothing to tell apart: every
    // answer then gets the smoothed share right, (right + 1) / (samples + 2).
    static RulesCalibration fit(const std::vector<Sample> &samples);

    double confidence(const Reading &reading) const;

    QJsonObject toJson() const;
    // Null for anything but a whole calibration of this method (a calibration of the earlier
    // "temperature+platt" method included: the cautious prior serves until the next training).
    static std::optional<RulesCalibration> fromJson(const QJsonObject &json);

private:
    using Features = std::array<double, kFeatures>;
    static Features features(const Reading &reading);

    Features m_weights{};
    double m_bias = 0.0;
};
