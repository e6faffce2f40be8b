#pragma once

#include <QList>
#include <QString>

// A validation failure tied to the input field (or query parameter) that caused it.
struct FieldError
{
    QString field;
    QString message;

    friend bool operator==(const FieldError &, const FieldError &) = default;
};

using FieldErrors = QList<FieldError>;

// A parsed value together with everything that was wrong with the input it came from.
template<typename T> struct Validated
{
    T value{};
    FieldErrors errors;

    bool isValid() const { return errors.isEmpty(); }
};
