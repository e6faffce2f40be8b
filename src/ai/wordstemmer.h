#pragma once

#include <QtGlobal>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sb_stemmer;

// Snowball's English stemmer (libstemmer): "invoices", "invoiced" and "invoice" become "invoic",
// so they teach a model one thing. A stemmer keeps state between calls, so use one per thread.
// Tickets repeat the same few thousand words, and it remembers their stems: stemming a word
// costs more than the rest of reading it.
class WordStemmer final
{
public:
    WordStemmer();
    ~WordStemmer();
    Q_DISABLE_COPY_MOVE(WordStemmer)

    // The stem of a lower-case UTF-8 word, valid until the next call; the word itself if
    // libstemmer could not be set up or ran out of memory.
    std::string_view stem(std::string_view word);

    // How many stems it remembers at most; then it starts again.
    static constexpr std::size_t kRemembered = 1 << 16;

private:
    struct Deleter
    {
        void operator()(sb_stemmer *stemmer) const;
    };
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view word) const
        {
            return std::hash<std::string_view>()(word);
        }
    };

    std::unique_ptr<sb_stemmer, Deleter> m_stemmer;
    std::unordered_map<std::string, std::string, Hash, std::equal_to<>> m_stems;
};
