#include "fasttexttokenizer.h"

#include <QChar>

namespace {

// Longest placeholder name kept whole: the dataset's and PiiRedactor's are all shorter.
constexpr qsizetype kMaxPlaceholder = 24;

bool isApostrophe(char16_t c)
{
    return c == u'\'' || c == u'\u2019';
}

bool isAsciiLetter(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

void appendUtf8(char32_t c, std::string *out)
{
    if (c < 0x80) {
        out->push_back(char(c));
    } else if (c < 0x800) {
        out->push_back(char(0xC0 | (c >> 6)));
        out->push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out->push_back(char(0xE0 | (c >> 12)));
        out->push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out->push_back(char(0x80 | (c & 0x3F)));
    } else {
        out->push_back(char(0xF0 | (c >> 18)));
        out->push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out->push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out->push_back(char(0x80 | (c & 0x3F)));
    }
}

// Length of a placeholder such as "<acc_num>" starting at from, or 0.
qsizetype placeholderLength(QStringView text, qsizetype from)
{
    const qsizetype end = std::min(text.size(), from + kMaxPlaceholder + 2);
    for (qsizetype i = from + 1; i < end; ++i) {
        const char16_t c = text[i].unicode();
        if (c == u'>')
            return i > from + 1 ? i - from + 1 : 0;
        if (!isAsciiLetter(c) && c != u'_')
            return 0;
    }
    return 0;
}

} // namespace

void FastTextTokenizer::tokenize(QStringView text, std::string *out)
{
    out->clear();
    out->reserve(std::size_t(text.size()) + 16);
    // Word boundaries are written lazily, so no token ever starts or ends with a space.
    bool inWord = false;
    const auto startToken = [out, &inWord] {
        if (!inWord && !out->empty())
            out->push_back(' ');
        inWord = true;
    };
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            if (isAsciiLetter(c)) {
                startToken();
                out->push_back(char(c | 0x20));
            } else if (isDigit(c)) {
                // Order numbers, dates and versions differ in every ticket; that a number is
                // there is what generalises.
                inWord = false;
                startToken();
                out->push_back('0');
                while (i + 1 < size && isDigit(text[i + 1].unicode()))
                    ++i;
                inWord = false;
            } else if (c == u'<' && placeholderLength(text, i) > 0) {
                const qsizetype length = placeholderLength(text, i);
                inWord = false;
                startToken();
                for (qsizetype j = i; j < i + length; ++j) {
                    const char16_t p = text[j].unicode();
                    out->push_back(char(isAsciiLetter(p) ? (p | 0x20) : p));
                }
                i += length - 1;
                inWord = false;
            } else if (isApostrophe(c) && inWord && i + 1 < size && text[i + 1].isLetter()) {
                continue;
            } else {
                inWord = false;
            }
            continue;
        }
        if (isApostrophe(c) && inWord && i + 1 < size && text[i + 1].isLetter())
            continue;
        char32_t codePoint = c;
        if (QChar::isHighSurrogate(c) && i + 1 < size && text[i + 1].isLowSurrogate()) {
            codePoint = QChar::surrogateToUcs4(c, text[i + 1].unicode());
            ++i;
        }
        if (QChar::isLetterOrNumber(codePoint)) {
            startToken();
            appendUtf8(QChar::toLower(codePoint), out);
        } else {
            inWord = false;
        }
    }
}

std::string FastTextTokenizer::tokenize(QStringView text)
{
    std::string tokens;
    tokenize(text, &tokens);
    return tokens;
}
