#pragma once

#include <QStringView>
#include <QtGlobal>

#include <vector>

// What the linear model reads of a ticket: every word and every pair of neighbouring words of
// FastTextTokenizer's tokens, each word reduced to its stem by WordStemmer, each as a 64-bit
// FNV-1a key of its UTF-8 bytes. Stems matter most when a team has few tickets. A model then
// keeps numbers rather than strings, a prediction allocates nothing for a word whose stem is
// known, and the keys are the same on every node and every run (unlike qHash, which is seeded and
// may use the CPU's AES unit).
class TextNgrams final
{
public:
    // Stored with a model: a model trained on other keys must not be fed these. Version 1 read
    // words as they are, version 2 reads their stems.
    static constexpr int kVersion = 2;

    // Replaces *keys with the text's word and word-pair keys, in text order, repeats included,
    // as the given version made them.
    static void keys(QStringView text, std::vector<quint64> *keys, int version = kVersion);
};
