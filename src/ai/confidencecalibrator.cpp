#include "confidencecalibrator.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Probabilities are clamped away from 0 and 1 before logs, so one overconfident miss cannot
// dominate a fit.
constexpr double kEpsilon = 1e-6;
constexpr double kMinTemperature = 0.05;
constexpr double kMaxTemperature = 20.0;
constexpr int kGoldenSectionSteps = 80;
constexpr int kNewtonSteps = 100;
// A light pull of the logistic map towards the identity keeps it finite when the samples are
// separable (every one right, say), the usual case for a small, easy fixture.
constexpr double kRidge = 1e-3;
// A category's shift is pulled towards none as strongly as a handful of tickets would pull it,
// so a category the model rarely names keeps the shared map instead of following a few tickets.
constexpr double kOffsetRidge = 2.0;

double clampProbability(double p)
{
    return std::clamp(p, kEpsilon, 1.0 - kEpsilon);
}

double logit(double p)
{
    p = clampProbability(p);
    return std::log(p / (1.0 - p));
}

double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

ConfidenceCalibrator::Probabilities temper(const ConfidenceCalibrator::Probabilities &p,
                                           double temperature)
{
    ConfidenceCalibrator::Probabilities logs{};
    for (std::size_t c = 0; c < p.size(); ++c)
        logs[c] = std::log(std::max(p[c], kEpsilon)) / temperature;
    const double top = *std::max_element(logs.cbegin(), logs.cend());
    double sum = 0.0;
    ConfidenceCalibrator::Probabilities result{};
    for (std::size_t c = 0; c < p.size(); ++c) {
        result[c] = std::exp(logs[c] - top);
        sum += result[c];
    }
    for (double &value : result)
        value /= sum;
    return result;
}

double negativeLogLikelihood(const std::vector<ConfidenceCalibrator::Sample> &samples,
                             double temperature)
{
    double total = 0.0;
    for (const ConfidenceCalibrator::Sample &sample : samples) {
        const auto p = temper(sample.probabilities, temperature);
        total -= std::log(std::max(p[std::size_t(sample.actual)], kEpsilon));
    }
    return total;
}

// Temperature scaling: one parameter, fitted by minimising the log loss. The loss is unimodal
// in log(temperature), so a golden-section search finds the minimum without gradients.
double fitTemperature(const std::vector<ConfidenceCalibrator::Sample> &samples)
{
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double low = std::log(kMinTemperature);
    double high = std::log(kMaxTemperature);
    for (int step = 0; step < kGoldenSectionSteps; ++step) {
        const double a = high - ratio * (high - low);
        const double b = low + ratio * (high - low);
        if (negativeLogLikelihood(samples, std::exp(a)) <
            negativeLogLikelihood(samples, std::exp(b)))
            high = b;
        else
            low = a;
    }
    return std::exp((low + high) / 2.0);
}

struct Point
{
    double x;
    double target;
};

double logisticLoss(const std::vector<Point> &points, double slope, double intercept)
{
    double loss = kRidge * ((slope - 1.0) * (slope - 1.0) + intercept * intercept);
    for (const Point &point : points) {
        const double p = std::clamp(sigmoid(slope * point.x + intercept), 1e-12, 1.0 - 1e-12);
        loss -= point.target * std::log(p) + (1.0 - point.target) * std::log(1.0 - p);
    }
    return loss;
}

// Platt scaling of the top class: hit = sigmoid(slope * logit(p) + intercept), fitted by Newton
// steps with backtracking. Temperature alone fixes the overall spread; this fixes the remaining
// difference between the low and the high end. Platt's smoothed targets keep it finite.
std::pair<double, double> fitLogistic(const std::vector<Point> &points)
{
    double slope = 1.0;
    double intercept = 0.0;
    double loss = logisticLoss(points, slope, intercept);
    for (int step = 0; step < kNewtonSteps; ++step) {
        double gradientSlope = 2.0 * kRidge * (slope - 1.0);
        double gradientIntercept = 2.0 * kRidge * intercept;
        double hss = 2.0 * kRidge;
        double hsi = 0.0;
        double hii = 2.0 * kRidge;
        for (const Point &point : points) {
            const double p = sigmoid(slope * point.x + intercept);
            const double g = p - point.target;
            const double w = p * (1.0 - p);
            gradientSlope += g * point.x;
            gradientIntercept += g;
            hss += w * point.x * point.x;
            hsi += w * point.x;
            hii += w;
        }
        const double determinant = hss * hii - hsi * hsi;
        if (!(determinant > 0.0))
            break;
        const double deltaSlope = (hii * gradientSlope - hsi * gradientIntercept) / determinant;
        const double deltaIntercept = (hss * gradientIntercept - hsi * gradientSlope) / determinant;
        double scale = 1.0;
        double nextLoss = logisticLoss(points, slope - deltaSlope, intercept - deltaIntercept);
        while (nextLoss > loss && scale > 1e-6) {
            scale /= 2.0;
            nextLoss = logisticLoss(points, slope - scale * deltaSlope,
                                    intercept - scale * deltaIntercept);
        }
        if (nextLoss > loss)
            break;
        slope -= scale * deltaSlope;
        intercept -= scale * deltaIntercept;
        const bool converged = loss - nextLoss < 1e-12;
        loss = nextLoss;
        if (converged)
            break;
    }
    return {slope, intercept};
}

double offsetLoss(const std::vector<Point> &points, double slope, double intercept, double offset)
{
    double loss = kOffsetRidge * offset * offset;
    for (const Point &point : points) {
        const double p =
            std::clamp(sigmoid(slope * point.x + intercept + offset), 1e-12, 1.0 - 1e-12);
        loss -= point.target * std::log(p) + (1.0 - point.target) * std::log(1.0 - p);
    }
    return loss;
}

// The shift of one category's answers, with the shared map fixed: a one-parameter logistic fit
// by Newton steps, each halved until the loss falls. A full step can overshoot where the loss is
// nearly flat (answers far out on the map, all wrong) and swing back and forth for ever.
double fitOffset(const std::vector<Point> &points, double slope, double intercept)
{
    double offset = 0.0;
    double loss = offsetLoss(points, slope, intercept, offset);
    for (int step = 0; step < kNewtonSteps; ++step) {
        double gradient = 2.0 * kOffsetRidge * offset;
        double curvature = 2.0 * kOffsetRidge;
        for (const Point &point : points) {
            const double p = sigmoid(slope * point.x + intercept + offset);
            gradient += p - point.target;
            curvature += p * (1.0 - p);
        }
        const double delta = gradient / curvature;
        double scale = 1.0;
        double nextLoss = offsetLoss(points, slope, intercept, offset - delta);
        while (nextLoss > loss && scale > 1e-6) {
            scale /= 2.0;
            nextLoss = offsetLoss(points, slope, intercept, offset - scale * delta);
        }
        if (nextLoss > loss)
            break;
        offset -= scale * delta;
        const bool converged = loss - nextLoss < 1e-12;
        loss = nextLoss;
        if (converged)
            break;
    }
    return offset;
}

} // namespace

ConfidenceCalibrator::ConfidenceCalibrator(double temperature, double slope, double intercept,
                                           const Offsets &offsets)
    : m_temperature(temperature)
    , m_slope(slope)
    , m_intercept(intercept)
    , m_offsets(offsets)
{}

ConfidenceCalibrator ConfidenceCalibrator::fit(const std::vector<Sample> &samples)
{
    if (samples.size() < 2)
        return {};
    const double temperature = fitTemperature(samples);

    std::vector<Point> points;
    std::vector<std::size_t> named;
    points.reserve(samples.size());
    named.reserve(samples.size());
    std::size_t hits = 0;
    for (const Sample &sample : samples) {
        const Probabilities p = temper(sample.probabilities, temperature);
        const Category top = topCategory(p);
        const bool hit = top == sample.actual;
        hits += hit ? 1 : 0;
        points.push_back({logit(p[std::size_t(top)]), hit ? 1.0 : 0.0});
        named.push_back(std::size_t(top));
    }
    const double hitTarget = (double(hits) + 1.0) / (double(hits) + 2.0);
    const double missTarget = 1.0 / (double(samples.size() - hits) + 2.0);
    for (Point &point : points)
        point.target = point.target > 0.5 ? hitTarget : missTarget;
    auto [slope, intercept] = fitLogistic(points);
    // A map that lowers confidence as probability rises would reorder tickets by confidence;
    // flat (the hit rate for everything) is the honest answer then.
    if (slope < 0.0) {
        slope = 0.0;
        intercept = logit(double(hits + 1) / double(samples.size() + 2));
    }
    Offsets offsets{};
    for (std::size_t c = 0; c < offsets.size(); ++c) {
        std::vector<Point> answers;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (named[i] == c)
                answers.push_back(points[i]);
        }
        offsets[c] = fitOffset(answers, slope, intercept);
    }
    return ConfidenceCalibrator(temperature, slope, intercept, offsets);
}

Category ConfidenceCalibrator::topCategory(const Probabilities &probabilities)
{
    const auto best = std::max_element(probabilities.cbegin(), probabilities.cend());
    return kAllCategories[std::size_t(best - probabilities.cbegin())];
}

ConfidenceCalibrator::Probabilities
ConfidenceCalibrator::tempered(const Probabilities &probabilities) const
{
    return temper(probabilities, m_temperature);
}

double ConfidenceCalibrator::confidence(const Probabilities &probabilities) const
{
    const Probabilities p = tempered(probabilities);
    const std::size_t top = std::size_t(topCategory(p));
    return std::clamp(sigmoid(m_slope * logit(p[top]) + m_intercept + m_offsets[top]), 0.0, 1.0);
}

QJsonObject ConfidenceCalibrator::toJson() const
{
    QJsonObject offsets;
    for (const Category category : kAllCategories)
        offsets.insert(categoryName(category), m_offsets[std::size_t(category)]);
    return {{u"method"_s, u"temperature+platt"_s},
            {u"temperature"_s, m_temperature},
            {u"slope"_s, m_slope},
            {u"intercept"_s, m_intercept},
            {u"offsets"_s, offsets}};
}

std::optional<ConfidenceCalibrator> ConfidenceCalibrator::fromJson(const QJsonObject &json)
{
    if (json.value(u"method"_s).toString() != u"temperature+platt"_s)
        return std::nullopt;
    const double temperature = json.value(u"temperature"_s).toDouble(-1.0);
    const QJsonValue slope = json.value(u"slope"_s);
    const QJsonValue intercept = json.value(u"intercept"_s);
    if (!(temperature > 0.0) || !slope.isDouble() || !intercept.isDouble())
        return std::nullopt;
    // A calibration stored before categories had their own shift has none.
    Offsets offsets{};
    const QJsonObject storedOffsets = json.value(u"offsets"_s).toObject();
    for (const Category category : kAllCategories) {
        const QJsonValue offset = storedOffsets.value(categoryName(category));
        if (!offset.isUndefined() && !offset.isDouble())
            return std::nullopt;
        offsets[std::size_t(category)] = offset.toDouble(0.0);
    }
    return ConfidenceCalibrator(temperature, slope.toDouble(), intercept.toDouble(), offsets);
}
