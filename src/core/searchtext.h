#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

// The words a text search sees in a text, so stored tickets and typed searches normalise alike.
class SearchText final
{
public:
    SearchText() = delete;

    // Splits at every character that is not a letter or number, folds case and drops accents.
    static QStringList words(QStringView text);
    // words() joined by single spaces, the form a database column keeps.
    static QString normalised(QStringView text);
};
