#include "urlqueryreader.h"

#include "plaintext.h"

#include <QSet>

UrlQueryReader::UrlQueryReader(const QUrlQuery &query, const QStringList &knownParameters)
    : m_items(query.queryItems(QUrl::FullyDecoded))
{
    // One error, not one per parameter: a URL of 80,000 unknown ones must not cost an answer
    // of 80,000 errors.
    if (m_items.size() > kMaxParameters) {
        m_items.clear();
        addError(QStringLiteral("query"),
                 QStringLiteral("must have at most %1 parameters").arg(kMaxParameters));
        return;
    }
    QSet<QString> seen;
    for (const auto &[name, value] : std::as_const(m_items)) {
        Q_UNUSED(value)
        if (seen.contains(name)) {
            if (knownParameters.contains(name))
                addError(name, QStringLiteral("must be given at most once"));
            continue;
        }
        seen.insert(name);
        if (!knownParameters.contains(name))
            addError(name, QStringLiteral("is not a known parameter"));
    }
}

std::optional<QString> UrlQueryReader::text(const QString &name)
{
    for (const auto &[itemName, value] : std::as_const(m_items)) {
        if (itemName != name)
            continue;
        // A NUL reaches no database as text, and other controls have no place in a filter.
        if (PlainText::hasControlCharacters(value)) {
            addError(name, QStringLiteral("must not contain control characters"));
            return std::nullopt;
        }
        return value;
    }
    return std::nullopt;
}

std::optional<int> UrlQueryReader::integer(const QString &name, int minimum, int maximum)
{
    const std::optional<QString> raw = text(name);
    if (!raw)
        return std::nullopt;
    bool ok = false;
    const int value = raw->toInt(&ok);
    if (!ok || value < minimum || value > maximum) {
        addError(name,
                 QStringLiteral("must be an integer from %1 to %2").arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return value;
}

void UrlQueryReader::addError(const QString &name, const QString &message)
{
    m_errors.append({name, message});
}
