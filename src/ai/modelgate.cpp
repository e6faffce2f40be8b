#include "modelgate.h"

#include "classificationmetrics.h"

#include <cmath>

namespace {

// Names start in lower case ("the built-in rules") and may open a sentence.
QString sentence(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

double ModelGate::binomialTail(qint64 successes, qint64 trials)
{
    if (successes <= 0)
        return 1.0;
    if (successes > trials)
        return 0.0;
    // Summed in log space: C(n, k) / 2^n under- and overflows long before n = 100,000. Each
    // coefficient follows from the one before (C(n, k+1) = C(n, k) (n - k) / (k + 1)), which
    // needs no lgamma (whose glibc version writes a global, signgam).
    const double n = double(trials);
    double logCoefficient = 0.0; // log C(n, 0)
    for (qint64 k = 0; k < successes; ++k)
        logCoefficient += std::log((n - double(k)) / double(k + 1));
    const double logHalfPower = -n * std::log(2.0);
    std::vector<double> logTerms;
    logTerms.reserve(std::size_t(trials - successes + 1));
    double largest = -INFINITY;
    for (qint64 k = successes; k <= trials; ++k) {
        const double logTerm = logCoefficient + logHalfPower;
        logTerms.push_back(logTerm);
        largest = std::max(largest, logTerm);
        logCoefficient += std::log((n - double(k)) / double(k + 1));
    }
    double sum = 0.0;
    for (const double logTerm : logTerms)
        sum += std::exp(logTerm - largest);
    return std::min(1.0, std::exp(largest) * sum);
}

ModelGate::Verdict ModelGate::compare(const std::vector<Category> &actual,
                                      const std::vector<Category> &candidate,
                                      const std::vector<Category> &incumbent,
                                      const QString &candidateName, const QString &incumbentName)
{
    Q_ASSERT(actual.size() == candidate.size() && actual.size() == incumbent.size());
    Verdict verdict;
    ClassificationMetrics candidateMetrics;
    ClassificationMetrics incumbentMetrics;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        candidateMetrics.add(actual[i], candidate[i], 0.0);
        incumbentMetrics.add(actual[i], incumbent[i], 0.0);
        const bool candidateRight = candidate[i] == actual[i];
        const bool incumbentRight = incumbent[i] == actual[i];
        if (candidateRight && !incumbentRight)
            ++verdict.candidateOnly;
        else if (incumbentRight && !candidateRight)
            ++verdict.incumbentOnly;
    }
    verdict.candidateAccuracy = candidateMetrics.accuracy();
    verdict.incumbentAccuracy = incumbentMetrics.accuracy();
    verdict.candidateMacroF1 = candidateMetrics.macroF1();
    verdict.incumbentMacroF1 = incumbentMetrics.macroF1();
    verdict.pValue =
        binomialTail(verdict.candidateOnly, verdict.candidateOnly + verdict.incumbentOnly);

    const auto percent = [](double value) {
        return QString::number(100.0 * value, 'f', 1);
    };
    // Two significant digits, so a p just under 0.05 never reads "0.050".
    const QString p = QString::number(verdict.pValue, 'g', 2);
    // One arg() call each: a name holding "%1" must not be substituted in turn.
    const QString scores =
        tr("On the same %1 tickets, %2 was right %3% of the time and %4 %5%.")
            .arg(QString::number(actual.size()), candidateName, percent(verdict.candidateAccuracy),
                 incumbentName, percent(verdict.incumbentAccuracy));
    if (verdict.candidateOnly <= verdict.incumbentOnly) {
        verdict.reason =
            scores + u' ' +
            sentence(tr("%1 is not more accurate, so nothing changes.").arg(candidateName));
    } else if (verdict.pValue >= kSignificance) {
        verdict.reason =
            scores + u' ' +
            tr("The difference (%1 tickets only %2 got right, %3 only %4 did) could be chance "
               "(p = %5), so nothing changes.")
                .arg(QString::number(verdict.candidateOnly), candidateName,
                     QString::number(verdict.incumbentOnly), incumbentName, p);
    } else if (verdict.candidateMacroF1 < verdict.incumbentMacroF1) {
        verdict.reason = scores + u' ' +
                         tr("But %1 is worse on some category (macro-F1 %2 against %3), so "
                            "nothing changes.")
                             .arg(candidateName, percent(verdict.candidateMacroF1),
                                  percent(verdict.incumbentMacroF1));
    } else {
        verdict.accepted = true;
        verdict.reason =
            scores + u' ' +
            sentence(tr("%1 is better than %3 by more than chance (p = %2) and at least as "
                        "good averaged over the categories.")
                         .arg(candidateName, p, incumbentName));
    }
    return verdict;
}
