#include "rulescalibration.h"

#include "ailogging.h"
#include "liblinearoutput.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <linear.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr std::size_t kCategories = kAllCategories.size();
const QString kMethod = u"evidence-logistic"_s;

double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

struct ModelDeleter
{
    void operator()(model *trained) const { free_and_destroy_model(&trained); }
};

} // namespace

RulesCalibration::RulesCalibration(double bias)
    : m_bias(bias)
{}

RulesCalibration::Features RulesCalibration::features(const Reading &reading)
{
    // Per named category: an offset, and how much evidence there was for each category (in
    // logs, as a ticket's evidence grows with its length). Plus how sure the lexicon was.
    Features result{};
    const std::size_t named = std::size_t(reading.named);
    result[named] = 1.0;
    const double p = std::clamp(reading.probability, 1e-6, 1.0 - 1e-6);
    result[kCategories] = std::log(p / (1.0 - p));
    for (std::size_t c = 0; c < kCategories; ++c) {
        result[kCategories + 1 + named * kCategories + c] =
            std::log1p(std::abs(reading.evidence[c]));
    }
    return result;
}

RulesCalibration RulesCalibration::fit(const std::vector<Sample> &samples)
{
    const auto right = std::count_if(samples.cbegin(), samples.cend(),
                                     [](const Sample &sample) { return sample.right; });
    const double hitRate = double(right + 1) / double(samples.size() + 2);
    if (right == 0 || std::size_t(right) == samples.size())
        return RulesCalibration(std::log(hitRate / (1.0 - hitRate)));

    LiblinearOutput::silence();
    // Each sample: its features, a bias node always 1, and liblinear's terminator.
    constexpr std::size_t kNodesPerSample = kFeatures + 2;
    std::vector<feature_node> nodes(samples.size() * kNodesPerSample);
    std::vector<feature_node *> x(samples.size());
    std::vector<double> y(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const Features values = features(samples[i].reading);
        feature_node *row = &nodes[i * kNodesPerSample];
        for (std::size_t f = 0; f < kFeatures; ++f)
            row[f] = {int(f) + 1, values[f]}; // liblinear counts from 1
        row[kFeatures] = {int(kFeatures) + 1, 1.0};
        row[kFeatures + 1] = {-1, 0.0};
        x[i] = row;
        y[i] = samples[i].right ? 1.0 : -1.0;
    }
    problem data{};
    data.l = int(samples.size());
    data.n = int(kFeatures) + 1;
    data.y = y.data();
    data.x = x.data();
    data.bias = 1.0;
    parameter settings{};
    settings.solver_type = L2R_LR;
    settings.eps = 0.01; // liblinear's default for this solver
    settings.C = kCost;
    if (const char *problemText = check_parameter(&data, &settings)) {
        qCWarning(lcAi) << "liblinear refused its parameters:" << problemText;
        return RulesCalibration(std::log(hitRate / (1.0 - hitRate)));
    }
    const std::unique_ptr<model, ModelDeleter> trained(::train(&data, &settings));
    // Two classes share one weight vector, positive for the first label liblinear met.
    const double sign = trained->label[0] > 0 ? 1.0 : -1.0;
    RulesCalibration result;
    for (std::size_t f = 0; f < kFeatures; ++f)
        result.m_weights[f] = sign * trained->w[f];
    result.m_bias = sign * trained->w[kFeatures];
    return result;
}

double RulesCalibration::confidence(const Reading &reading) const
{
    const Features values = features(reading);
    double score = m_bias;
    for (std::size_t f = 0; f < kFeatures; ++f)
        score += m_weights[f] * values[f];
    return sigmoid(score);
}

QJsonObject RulesCalibration::toJson() const
{
    QJsonArray weights;
    for (const double weight : m_weights)
        weights.append(weight);
    return {{u"method"_s, kMethod}, {u"weights"_s, weights}, {u"bias"_s, m_bias}};
}

std::optional<RulesCalibration> RulesCalibration::fromJson(const QJsonObject &json)
{
    const QJsonArray weights = json.value(u"weights"_s).toArray();
    const QJsonValue bias = json.value(u"bias"_s);
    if (json.value(u"method"_s).toString() != kMethod || weights.size() != qsizetype(kFeatures) ||
        !bias.isDouble() || !std::isfinite(bias.toDouble())) {
        return std::nullopt;
    }
    RulesCalibration result(bias.toDouble());
    for (std::size_t f = 0; f < kFeatures; ++f) {
        const QJsonValue weight = weights.at(qsizetype(f));
        if (!weight.isDouble() || !std::isfinite(weight.toDouble()))
            return std::nullopt;
        result.m_weights[f] = weight.toDouble();
    }
    return result;
}
