#pragma once

#include <QDataStream>
#include <QHash>
#include <QtGlobal>

#include <optional>
#include <vector>

// Turns a ticket's n-gram keys (TextNgrams) into the sparse vector a linear model reads: for each
// known key, (1 + log count) times its inverse document frequency, the whole scaled to length
// one. The vocabulary is the keys seen in enough training tickets, most frequent first, so the
// same tickets always give the same vectorizer.
class TfidfVectorizer final
{
public:
    struct Feature
    {
        // 0-based, ascending within a vector.
        int index = 0;
        double value = 0.0;
    };
    using Vector = std::vector<Feature>;

    struct Options
    {
        // A key in fewer training tickets than this is noise (a typo, an order number's words).
        int minimumDocuments = 2;
        int maximumFeatures = 400'000;
    };

    TfidfVectorizer() = default;

    static TfidfVectorizer fit(const std::vector<std::vector<quint64>> &documents,
                               const Options &options);
    static TfidfVectorizer fit(const std::vector<std::vector<quint64>> &documents)
    {
        return fit(documents, Options());
    }

    // Replaces *vector with the keys' vector; keys outside the vocabulary are left out.
    void transform(const std::vector<quint64> &keys, Vector *vector) const;
    int size() const { return int(m_idf.size()); }

    void write(QDataStream &stream) const;
    // Null when the stream does not hold a whole, consistent vectorizer.
    static std::optional<TfidfVectorizer> read(QDataStream &stream);

private:
    QHash<quint64, int> m_index;
    std::vector<float> m_idf;
    // Kept in index order, so that writing and reading give back the same indexes.
    std::vector<quint64> m_keys;
};
