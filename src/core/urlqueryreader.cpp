#include "urlqueryreader.h"

UrlQueryReader::UrlQueryReader(const QUrlQuery &query, const QStringList &knownParameters)
    : m_items(query.queryItems(QUrl::FullyDecoded))
{
    QStringList seen;
    for (const auto &[name, value] : std::as_const(m_items)) {
        Q_UNUSED(value)
        if (seen.contains(name)) {
            if (knownParameters.contains(name))
                addError(name, QStringLiteral("must be given at most once"));
            continue;
        }
        seen.append(name);
        if (!knownParameters.contains(name))
            addError(name, QStringLiteral("is not a known parameter"));
    }
}

std::optional<QString> UrlQueryReader::text(const QString &name)
{
    for (const auto &[itemName, value] : std::as_const(m_items)) {
        if (itemName == name)
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
