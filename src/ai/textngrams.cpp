#include "textngrams.h"

#include "fasttexttokenizer.h"

#include <libstemmer.h>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

// FNV-1a, 64 bits: its state after a prefix continues over the rest, so a word pair's key is
// the first word's key carried on over a space and the second word.
constexpr quint64 kOffsetBasis = 14695981039346656037ULL;
constexpr quint64 kPrime = 1099511628211ULL;

quint64 fold(quint64 hash, std::string_view bytes)
{
    for (const char byte : bytes) {
        hash ^= quint64(static_cast<unsigned char>(byte));
        hash *= kPrime;
    }
    return hash;
}

struct StemmerDeleter
{
    void operator()(sb_stemmer *stemmer) const { sb_stemmer_delete(stemmer); }
};

// A Snowball stemmer keeps state between calls, so each thread has its own. Tickets repeat the
// same few thousand words, and remembering their stems keeps classification fast.
class Stemmer final
{
public:
    Stemmer()
        : m_stemmer(sb_stemmer_new("english", "UTF_8"))
    {}

    std::string_view stem(std::string_view word)
    {
        if (!m_stemmer)
            return word;
        const auto known = m_stems.find(std::string(word));
        if (known != m_stems.end())
            return known->second;
        if (m_stems.size() >= kRemembered)
            m_stems.clear();
        const sb_symbol *stem = sb_stemmer_stem(
            m_stemmer.get(), reinterpret_cast<const sb_symbol *>(word.data()), int(word.size()));
        // Null only when memory ran out: the word as it is then.
        const std::string_view result =
            stem ? std::string_view(reinterpret_cast<const char *>(stem),
                                    std::size_t(sb_stemmer_length(m_stemmer.get())))
                 : word;
        return m_stems.emplace(std::string(word), std::string(result)).first->second;
    }

private:
    static constexpr std::size_t kRemembered = 1 << 16;
    std::unique_ptr<sb_stemmer, StemmerDeleter> m_stemmer;
    std::unordered_map<std::string, std::string> m_stems;
};

} // namespace

void TextNgrams::keys(QStringView text, std::vector<quint64> *keys, int version)
{
    keys->clear();
    thread_local Stemmer stemmer;
    thread_local std::string tokens;
    FastTextTokenizer::tokenize(text, &tokens);
    const std::string_view all(tokens);
    quint64 previous = 0;
    bool hasPrevious = false;
    std::size_t start = 0;
    while (start < all.size()) {
        std::size_t end = all.find(' ', start);
        if (end == std::string_view::npos)
            end = all.size();
        std::string_view word = all.substr(start, end - start);
        if (version >= 2)
            word = stemmer.stem(word);
        const quint64 unigram = fold(kOffsetBasis, word);
        keys->push_back(unigram);
        if (hasPrevious)
            keys->push_back(fold(fold(previous, " "), word));
        previous = unigram;
        hasPrevious = true;
        start = end + 1;
    }
}
