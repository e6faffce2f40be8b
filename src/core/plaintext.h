#pragma once

#include <QString>
#include <QStringView>

// What the product accepts as plain text from outside (an API client, a form, a CSV file):
// printable characters with tabs and line breaks, and nothing invisible passed off as content.
class PlainText final
{
public:
    PlainText() = delete;

    // A control character other than tab, line feed and carriage return: NUL, escape sequences
    // that would drive a terminal reading the logs, C1 controls. Such text is refused, not
    // cleaned, so nothing stored differs from what was sent.
    static bool hasControlCharacters(QStringView text);
    // Nothing a person could read: only white space, invisible format characters such as a
    // zero-width space, and controls.
    static bool isBlank(QStringView text);
    // What is wrong with a required field's text for a person to read ("must not be blank"),
    // or an empty string: valid Unicode, no controls, not blank, at most maxCharacters
    // characters as a person counts them.
    static QString problemWith(QStringView text, qsizetype maxCharacters);
};
