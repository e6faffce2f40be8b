#pragma once

#include "fielderror.h"

#include <QStringList>
#include <QUrlQuery>

#include <optional>

// Reads query parameters strictly: unknown or repeated parameters, malformed numbers and text
// with control characters are reported by name instead of being silently ignored. Its time is
// linear in the parameters, and a query with more than kMaxParameters is refused whole.
class UrlQueryReader final
{
public:
    static constexpr qsizetype kMaxParameters = 32;

    UrlQueryReader(const QUrlQuery &query, const QStringList &knownParameters);

    std::optional<QString> text(const QString &name);
    std::optional<int> integer(const QString &name, int minimum, int maximum);
    void addError(const QString &name, const QString &message);

    FieldErrors errors() const { return m_errors; }

private:
    QList<std::pair<QString, QString>> m_items;
    FieldErrors m_errors;
};
