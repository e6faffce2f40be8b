#include "linearmodel.h"

#include "fasttexttokenizer.h"

#include <QBuffer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr quint32 kMagic = 0x53434c4d; // "SCLM"
// Format 2 added each category's calibration offset.
constexpr quint32 kFormat = 2;
constexpr std::size_t kCategories = kAllCategories.size();

} // namespace

LinearModel::LinearModel(TfidfVectorizer vectorizer, Weights weights,
                         ConfidenceCalibrator calibrator, int ngramsVersion)
    : m_vectorizer(std::move(vectorizer))
    , m_weights(std::move(weights))
    , m_calibrator(calibrator)
    , m_ngramsVersion(ngramsVersion)
{}

LinearModel::Scores LinearModel::scores(const Weights &weights,
                                        const TfidfVectorizer::Vector &vector)
{
    Scores result = weights.bias;
    for (const TfidfVectorizer::Feature &feature : vector) {
        if (feature.index >= weights.featureCount)
            continue;
        const float *row = &weights.values[std::size_t(feature.index) * kCategories];
        for (std::size_t c = 0; c < kCategories; ++c)
            result[c] += feature.value * double(row[c]);
    }
    for (std::size_t c = 0; c < kCategories; ++c) {
        if (!weights.known[c])
            result[c] = -std::numeric_limits<double>::infinity();
    }
    return result;
}

LinearModel::Scores LinearModel::scores(QStringView text) const
{
    thread_local std::vector<quint64> keys;
    thread_local TfidfVectorizer::Vector vector;
    TextNgrams::keys(text, &keys, m_ngramsVersion);
    m_vectorizer.transform(keys, &vector);
    return scores(vector);
}

ConfidenceCalibrator::Probabilities LinearModel::probabilities(const Scores &scores)
{
    double top = -std::numeric_limits<double>::infinity();
    for (const double score : scores)
        top = std::max(top, score);
    ConfidenceCalibrator::Probabilities result{};
    double sum = 0.0;
    for (std::size_t c = 0; c < kCategories; ++c) {
        result[c] = std::isinf(scores[c]) ? 0.0 : std::exp(scores[c] - top);
        sum += result[c];
    }
    for (double &probability : result)
        probability = sum > 0.0 ? probability / sum : 1.0 / double(kCategories);
    return result;
}

std::pair<Category, double> LinearModel::classify(QStringView text) const
{
    const ConfidenceCalibrator::Probabilities p = probabilities(scores(text));
    return {ConfidenceCalibrator::topCategory(p), m_calibrator.confidence(p)};
}

QByteArray LinearModel::toBytes() const
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    stream.setVersion(QDataStream::Qt_6_4);
    // Weights need no more than a float's precision, and the model is half the size.
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision);
    stream << kMagic << kFormat << qint32(FastTextTokenizer::kVersion) << qint32(m_ngramsVersion);
    m_vectorizer.write(stream);
    stream << qint32(m_weights.featureCount);
    for (const float value : m_weights.values)
        stream << value;
    for (std::size_t c = 0; c < kCategories; ++c)
        stream << float(m_weights.bias[c]) << m_weights.known[c];
    stream << float(m_calibrator.temperature()) << float(m_calibrator.slope())
           << float(m_calibrator.intercept());
    for (const double offset : m_calibrator.offsets())
        stream << float(offset);
    return bytes;
}

std::optional<LinearModel> LinearModel::fromBytes(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QDataStream stream(&buffer);
    stream.setVersion(QDataStream::Qt_6_4);
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision);
    quint32 magic = 0;
    quint32 format = 0;
    qint32 tokenizer = 0;
    qint32 ngrams = 0;
    stream >> magic >> format >> tokenizer >> ngrams;
    if (stream.status() != QDataStream::Ok || magic != kMagic || format < 1 || format > kFormat ||
        tokenizer != FastTextTokenizer::kVersion || ngrams < 1 || ngrams > TextNgrams::kVersion) {
        return std::nullopt;
    }
    std::optional<TfidfVectorizer> vectorizer = TfidfVectorizer::read(stream);
    if (!vectorizer)
        return std::nullopt;
    Weights weights;
    qint32 featureCount = 0;
    stream >> featureCount;
    if (stream.status() != QDataStream::Ok || featureCount != vectorizer->size() ||
        buffer.bytesAvailable() < qint64(featureCount) * qint64(kCategories) * 4) {
        return std::nullopt;
    }
    weights.featureCount = featureCount;
    weights.values.resize(std::size_t(featureCount) * kCategories);
    for (float &value : weights.values)
        stream >> value;
    for (std::size_t c = 0; c < kCategories; ++c) {
        float bias = 0;
        stream >> bias >> weights.known[c];
        weights.bias[c] = bias;
    }
    float temperature = 0;
    float slope = 0;
    float intercept = 0;
    stream >> temperature >> slope >> intercept;
    std::array<float, kCategories> offsets{};
    if (format >= 2) {
        for (float &offset : offsets)
            stream >> offset;
    }
    // A damaged model that still parses must not score NaN.
    const auto finite = [](float value) {
        return std::isfinite(value);
    };
    if (stream.status() != QDataStream::Ok || !buffer.atEnd() || !(temperature > 0.0f) ||
        !finite(temperature) || !finite(slope) || !finite(intercept) ||
        !std::all_of(offsets.begin(), offsets.end(), finite) ||
        !std::all_of(weights.values.begin(), weights.values.end(), finite) ||
        !std::all_of(weights.bias.begin(), weights.bias.end(),
                     [](double value) { return std::isfinite(value); })) {
        return std::nullopt;
    }
    ConfidenceCalibrator::Offsets calibrationOffsets{};
    std::copy(offsets.begin(), offsets.end(), calibrationOffsets.begin());
    return LinearModel(std::move(*vectorizer), std::move(weights),
                       ConfidenceCalibrator(temperature, slope, intercept, calibrationOffsets),
                       ngrams);
}
