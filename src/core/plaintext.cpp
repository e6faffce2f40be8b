#include "plaintext.h"

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
