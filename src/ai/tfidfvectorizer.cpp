#include "tfidfvectorizer.h"

#include <QIODevice>

#include <algorithm>
#include <cmath>

TfidfVectorizer TfidfVectorizer::fit(const std::vector<std::vector<quint64>> &documents,
                                     const Options &options)
{
    QHash<quint64, int> documentCounts;
    std::vector<quint64> distinct;
    for (const std::vector<quint64> &keys : documents) {
        distinct = keys;
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        for (const quint64 key : distinct)
            ++documentCounts[key];
    }
    std::vector<std::pair<int, quint64>> kept;
    for (auto it = documentCounts.cbegin(); it != documentCounts.cend(); ++it) {
        if (it.value() >= options.minimumDocuments)
            kept.emplace_back(it.value(), it.key());
    }
    // Most frequent first; the key breaks ties, so the hash table's order never shows.
    std::sort(kept.begin(), kept.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (kept.size() > std::size_t(options.maximumFeatures))
        kept.resize(std::size_t(options.maximumFeatures));

    TfidfVectorizer vectorizer;
    const double total = double(documents.size());
    vectorizer.m_index.reserve(qsizetype(kept.size()));
    for (const auto &[count, key] : kept) {
        vectorizer.m_index.insert(key, int(vectorizer.m_keys.size()));
        vectorizer.m_keys.push_back(key);
        // Smoothed, as if one more ticket held every key: never zero, never infinite.
        vectorizer.m_idf.push_back(float(std::log((1.0 + total) / (1.0 + count)) + 1.0));
    }
    return vectorizer;
}

void TfidfVectorizer::transform(const std::vector<quint64> &keys, Vector *vector) const
{
    vector->clear();
    thread_local std::vector<int> indexes;
    indexes.clear();
    for (const quint64 key : keys) {
        const auto it = m_index.constFind(key);
        if (it != m_index.cend())
            indexes.push_back(it.value());
    }
    std::sort(indexes.begin(), indexes.end());
    double squares = 0.0;
    for (std::size_t i = 0; i < indexes.size();) {
        std::size_t end = i;
        while (end < indexes.size() && indexes[end] == indexes[i])
            ++end;
        const double value = (1.0 + std::log(double(end - i))) * m_idf[std::size_t(indexes[i])];
        vector->push_back({indexes[i], value});
        squares += value * value;
        i = end;
    }
    if (squares > 0.0) {
        const double scale = 1.0 / std::sqrt(squares);
        for (Feature &feature : *vector)
            feature.value *= scale;
    }
}

void TfidfVectorizer::write(QDataStream &stream) const
{
    stream << quint32(m_keys.size());
    for (std::size_t i = 0; i < m_keys.size(); ++i)
        stream << m_keys[i] << m_idf[i];
}

std::optional<TfidfVectorizer> TfidfVectorizer::read(QDataStream &stream)
{
    quint32 count = 0;
    stream >> count;
    // A count the stream cannot hold is a damaged model, not a reason to reserve gigabytes.
    const qint64 entryBytes =
        stream.floatingPointPrecision() == QDataStream::SinglePrecision ? 12 : 16;
    if (stream.status() != QDataStream::Ok || count > 50'000'000 ||
        (stream.device() && stream.device()->bytesAvailable() < qint64(count) * entryBytes)) {
        return std::nullopt;
    }
    TfidfVectorizer vectorizer;
    vectorizer.m_keys.reserve(count);
    vectorizer.m_idf.reserve(count);
    vectorizer.m_index.reserve(qsizetype(count));
    for (quint32 i = 0; i < count; ++i) {
        quint64 key = 0;
        float idf = 0;
        stream >> key >> idf;
        if (stream.status() != QDataStream::Ok || !(idf > 0.0f) || !std::isfinite(idf) ||
            vectorizer.m_index.contains(key)) {
            return std::nullopt;
        }
        vectorizer.m_index.insert(key, int(i));
        vectorizer.m_keys.push_back(key);
        vectorizer.m_idf.push_back(idf);
    }
    return vectorizer;
}
