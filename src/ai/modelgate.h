#pragma once

#include "category.h"

#include <QCoreApplication>
#include <QString>

#include <vector>

// Decides whether a newly trained classifier may replace the one in use, from both classifiers'
// answers on the same tickets (for a trained recipe, its out-of-fold answers). The newcomer must
// be more accurate by more than chance: McNemar's exact test on the tickets where exactly one of
// the two is right, one-sided, at the 5% level. And it must not lose on macro-F1, so a gain on
// the commonest category cannot hide a category it gives up. Anything else, a tie included,
// keeps what is in use.
class ModelGate final
{
    Q_DECLARE_TR_FUNCTIONS(ModelGate)

public:
    static constexpr double kSignificance = 0.05;

    struct Verdict
    {
        bool accepted = false;
        double candidateAccuracy = 0.0;
        double incumbentAccuracy = 0.0;
        double candidateMacroF1 = 0.0;
        double incumbentMacroF1 = 0.0;
        // Tickets only the candidate got right, and only the incumbent.
        qint64 candidateOnly = 0;
        qint64 incumbentOnly = 0;
        // Chance of the candidate winning at least this clearly were both equally good.
        double pValue = 1.0;
        // For a team lead: what was compared and why the verdict.
        QString reason;
    };

    // All three lists are in the same ticket order. Names say what the two are, e.g.
    // "the new linear model" and "the built-in rules".
    static Verdict compare(const std::vector<Category> &actual,
                           const std::vector<Category> &candidate,
                           const std::vector<Category> &incumbent, const QString &candidateName,
                           const QString &incumbentName);

    // P(X >= successes) for X ~ Binomial(trials, 1/2), exact.
    static double binomialTail(qint64 successes, qint64 trials);
};
