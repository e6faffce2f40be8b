#pragma once

#include <QString>
#include <QStringView>

// Picks the most informative sentence of a ticket as its one-line summary when no model writes one.
class SentenceSummarizer final
{
public:
    static constexpr int kDefaultMaxLength = 200;

    // At most maxLength UTF-16 code units, ending in "…" when cut; empty for blank text.
    static QString summarize(QStringView text, int maxLength = kDefaultMaxLength);
};
