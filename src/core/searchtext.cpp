#include "searchtext.h"

namespace {

bool isMark(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
        return true;
    default:
        return false;
    }
}

} // namespace

QStringList SearchText::words(QStringView text)
{
    // Compatibility decomposition splits "Ü" into "U" and a combining mark, "ﬁ" into "fi" and
    // "ℌ" into "H"; folding comes after it for that last kind. Dropping the marks then matches
    // SQLite's unicode61 tokenizer with remove_diacritics 2 closely enough that a search finds the
    // same tickets on either database.
    const QString decomposed = text.toString().normalized(QString::NormalizationForm_KD);
    QStringList words;
    QString word;
    const qsizetype size = decomposed.size();
    for (qsizetype i = 0; i < size;) {
        const qsizetype start = i;
        char32_t c = decomposed.at(i++).unicode();
        // Letters beyond the BMP (CJK extensions, historic scripts) come as surrogate pairs.
        if (QChar::isHighSurrogate(c) && i < size && decomposed.at(i).isLowSurrogate())
            c = QChar::surrogateToUcs4(char16_t(c), decomposed.at(i++).unicode());
        if (isMark(c))
            continue;
        if (QChar::isLetterOrNumber(c)) {
            word += QStringView(decomposed).sliced(start, i - start);
        } else if (!word.isEmpty()) {
            words.append(word.toCaseFolded());
            word.clear();
        }
    }
    if (!word.isEmpty())
        words.append(word.toCaseFolded());
    return words;
}

QString SearchText::normalised(QStringView text)
{
    return words(text).join(u' ');
}
