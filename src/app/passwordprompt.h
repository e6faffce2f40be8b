#pragma once

#include <QString>

// Reads a new or current password for the command line: from the terminal with echo off, asked
// twice when new; or, when standard input is not a terminal (a script, a test), its first line.
class PasswordPrompt final
{
public:
    enum class Purpose { New, Current };
    // Empty with *error set when none was read or the two entries differ.
    static QString read(const QString &prompt, Purpose purpose, QString *error);
};
