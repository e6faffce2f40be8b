#include "classificationmetrics.h"

#include <algorithm>
#include <cmath>

void ClassificationMetrics::add(Category actual, Category predicted, double confidence)
{
    ++m_confusion[index(actual)][index(predicted)];
    m_samples.push_back({actual == predicted, qBound(0.0, confidence, 1.0)});
}

double ClassificationMetrics::accuracy() const
{
    if (m_samples.empty())
        return 0.0;
    qint64 correct = 0;
    for (Category category : kAllCategories)
        correct += m_confusion[index(category)][index(category)];
    return double(correct) / double(m_samples.size());
}

qint64 ClassificationMetrics::confusion(Category actual, Category predicted) const
{
    return m_confusion[index(actual)][index(predicted)];
}

double ClassificationMetrics::precision(Category category) const
{
    qint64 predicted = 0;
    for (Category actual : kAllCategories)
        predicted += confusion(actual, category);
    return predicted ? double(confusion(category, category)) / double(predicted) : 0.0;
}

double ClassificationMetrics::recall(Category category) const
{
    qint64 actual = 0;
    for (Category predicted : kAllCategories)
        actual += confusion(category, predicted);
    return actual ? double(confusion(category, category)) / double(actual) : 0.0;
}

double ClassificationMetrics::f1(Category category) const
{
    const double p = precision(category);
    const double r = recall(category);
    return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
}

double ClassificationMetrics::macroF1() const
{
    double sum = 0.0;
    for (Category category : kAllCategories)
        sum += f1(category);
    return sum / double(kAllCategories.size());
}

std::array<ClassificationMetrics::ReliabilityBin, ClassificationMetrics::kCalibrationBins>
ClassificationMetrics::reliability() const
{
    std::array<ReliabilityBin, kCalibrationBins> bins{};
    for (const Sample &sample : m_samples) {
        // A confidence of exactly 1.0 belongs to the top bin, not to an eleventh one.
        ReliabilityBin &bin = bins[std::size_t(
            qMin(kCalibrationBins - 1, int(sample.confidence * kCalibrationBins)))];
        bin.meanConfidence += sample.confidence;
        bin.accuracy += sample.correct ? 1.0 : 0.0;
        ++bin.count;
    }
    for (ReliabilityBin &bin : bins) {
        if (bin.count > 0) {
            bin.meanConfidence /= double(bin.count);
            bin.accuracy /= double(bin.count);
        }
    }
    return bins;
}

double ClassificationMetrics::expectedCalibrationError() const
{
    if (m_samples.empty())
        return 0.0;
    double error = 0.0;
    for (const ReliabilityBin &bin : reliability()) {
        error += std::abs(bin.accuracy - bin.meanConfidence) * double(bin.count) /
                 double(m_samples.size());
    }
    return error;
}

double ClassificationMetrics::confidenceAuroc() const
{
    // Mann-Whitney: the rank sum of the right answers among all, ties given their mean rank.
    std::vector<Sample> sorted = m_samples;
    std::sort(sorted.begin(), sorted.end(),
              [](const Sample &a, const Sample &b) { return a.confidence < b.confidence; });
    double rightRanks = 0.0;
    qint64 right = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t end = i;
        qint64 rightInRun = 0;
        while (end < sorted.size() && sorted[end].confidence == sorted[i].confidence)
            rightInRun += sorted[end++].correct ? 1 : 0;
        const double meanRank = (double(i + 1) + double(end)) / 2.0;
        rightRanks += meanRank * double(rightInRun);
        right += rightInRun;
        i = end;
    }
    const qint64 wrong = qint64(sorted.size()) - right;
    if (right == 0 || wrong == 0)
        return 0.5;
    return (rightRanks - double(right) * double(right + 1) / 2.0) / (double(right) * double(wrong));
}

double ClassificationMetrics::brierScore() const
{
    if (m_samples.empty())
        return 0.0;
    double sum = 0.0;
    for (const Sample &sample : m_samples) {
        const double miss = sample.confidence - (sample.correct ? 1.0 : 0.0);
        sum += miss * miss;
    }
    return sum / double(m_samples.size());
}

QJsonObject ClassificationMetrics::toJson() const
{
    QJsonObject perCategory;
    QJsonObject matrix;
    for (Category actual : kAllCategories) {
        perCategory.insert(categoryName(actual),
                           QJsonObject{{QStringLiteral("precision"), precision(actual)},
                                       {QStringLiteral("recall"), recall(actual)},
                                       {QStringLiteral("f1"), f1(actual)}});
        QJsonObject row;
        for (Category predicted : kAllCategories)
            row.insert(categoryName(predicted), confusion(actual, predicted));
        matrix.insert(categoryName(actual), row);
    }
    return {
        {QStringLiteral("count"), count()},
        {QStringLiteral("accuracy"), accuracy()},
        {QStringLiteral("macro_f1"), macroF1()},
        {QStringLiteral("expected_calibration_error"), expectedCalibrationError()},
        {QStringLiteral("confidence_auroc"), confidenceAuroc()},
        {QStringLiteral("brier_score"), brierScore()},
        {QStringLiteral("per_category"), perCategory},
        // Rows are the true category, columns the predicted one.
        {QStringLiteral("confusion"), matrix},
    };
}

QString ClassificationMetrics::toText() const
{
    auto number = [](double value) {
        return QString::number(value, 'f', 3);
    };
    QString text;
    text += QStringLiteral("tickets:   %1\naccuracy:  %2\nmacro-F1:  %3\nECE:       %4\n"
                           "AUROC:     %5 (confidence, right against wrong)\nBrier:     %6\n\n")
                .arg(count())
                .arg(number(accuracy()), number(macroF1()), number(expectedCalibrationError()),
                     number(confidenceAuroc()), number(brierScore()));
    text += QStringLiteral("%1 %2 %3 %4\n")
                .arg(QStringLiteral("category"), -10)
                .arg(QStringLiteral("precision"), 9)
                .arg(QStringLiteral("recall"), 9)
                .arg(QStringLiteral("F1"), 9);
    for (Category category : kAllCategories) {
        text += QStringLiteral("%1 %2 %3 %4\n")
                    .arg(QString(categoryName(category)), -10)
                    .arg(number(precision(category)), 9)
                    .arg(number(recall(category)), 9)
                    .arg(number(f1(category)), 9);
    }
    text += QStringLiteral("\nconfusion (rows: true, columns: predicted)\n%1").arg(QString(), 10);
    for (Category predicted : kAllCategories)
        text += QStringLiteral(" %1").arg(QString(categoryName(predicted)), 9);
    text += u'\n';
    for (Category actual : kAllCategories) {
        text += QStringLiteral("%1").arg(QString(categoryName(actual)), -10);
        for (Category predicted : kAllCategories)
            text += QStringLiteral(" %1").arg(confusion(actual, predicted), 9);
        text += u'\n';
    }
    // How far to trust a confidence: in each band, how often the answers were right.
    text += QStringLiteral("\nreliability (confidence band: tickets, mean confidence, right)\n");
    const auto bins = reliability();
    for (int i = 0; i < kCalibrationBins; ++i) {
        if (bins[std::size_t(i)].count == 0)
            continue;
        text += QStringLiteral("%1-%2 %3 %4 %5\n")
                    .arg(QString::number(double(i) / kCalibrationBins, 'f', 1))
                    .arg(QString::number(double(i + 1) / kCalibrationBins, 'f', 1))
                    .arg(bins[std::size_t(i)].count, 9)
                    .arg(number(bins[std::size_t(i)].meanConfidence), 9)
                    .arg(number(bins[std::size_t(i)].accuracy), 9);
    }
    return text;
}
