#include "plaintext.h"

#include "ticketdraft.h"

#include <algorithm>

namespace {

bool isAllowedControl(QChar c)
{
    return c == u'\t' || c == u'\n' || c == u'\r';
}

} // namespace

bool PlainText::hasControlCharacters(QStringView text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) {
        return c.category() == QChar::Other_Control && !isAllowedControl(c);
    });
}

bool PlainText::isBlank(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        const QChar::Category category = c.category();
        return c.isSpace() || category == QChar::Other_Format || category == QChar::Other_Control;
    });
}

QString PlainText::problemWith(QStringView text, qsizetype maxCharacters)
{
    // A lone surrogate (JSON "\ud800") cannot be stored as UTF-8; refusing it beats silently
    // turning it into "?".
    if (!text.isValidUtf16())
        return QStringLiteral("must be valid Unicode text");
    if (hasControlCharacters(text))
        return QStringLiteral(
            "must not contain control characters other than tabs and line breaks");
    if (isBlank(text))
        return QStringLiteral("must not be blank");
    if (characterCount(text) > maxCharacters)
        return QStringLiteral("must be at most %1 characters").arg(maxCharacters);
    return {};
}
