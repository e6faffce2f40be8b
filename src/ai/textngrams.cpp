#include "textngrams.h"

#include "fasttexttokenizer.h"
#include "wordstemmer.h"

#include <string>
#include <string_view>

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

} // namespace

void TextNgrams::keys(QStringView text, std::vector<quint64> *keys, int version)
{
    keys->clear();
    thread_local WordStemmer stemmer;
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
