#include "wordstemmer.h"

#include <libstemmer.h>

void WordStemmer::Deleter::operator()(sb_stemmer *stemmer) const
{
    sb_stemmer_delete(stemmer);
}

WordStemmer::WordStemmer()
    : m_stemmer(sb_stemmer_new("english", "UTF_8"))
{}

WordStemmer::~WordStemmer() = default;

std::string_view WordStemmer::stem(std::string_view word)
{
    if (!m_stemmer)
        return word;
    if (const auto known = m_stems.find(word); known != m_stems.end())
        return known->second;
    if (m_stems.size() >= kRemembered)
        m_stems.clear();
    const sb_symbol *stem = sb_stemmer_stem(
        m_stemmer.get(), reinterpret_cast<const sb_symbol *>(word.data()), int(word.size()));
    if (!stem)
        return word;
    const std::string_view result(reinterpret_cast<const char *>(stem),
                                  std::size_t(sb_stemmer_length(m_stemmer.get())));
    return m_stems.emplace(std::string(word), std::string(result)).first->second;
}
