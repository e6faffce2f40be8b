#include "corspolicy.h"

#include <QCoreApplication>
#include <QUrl>

namespace {

QByteArray normalized(const QString &origin)
{
    QString text = origin.trimmed().toLower();
    if (text.endsWith(u'/'))
        text.chop(1);
    return text.toLatin1();
}

} // namespace

CorsPolicy::CorsPolicy(const QStringList &origins)
{
    for (const QString &origin : origins) {
        if (!origin.trimmed().isEmpty())
            m_origins.insert(normalized(origin));
    }
}

QString CorsPolicy::problem(const QStringList &origins)
{
    for (const QString &origin : origins) {
        const QUrl url(origin.trimmed(), QUrl::StrictMode);
        const bool isOrigin =
            url.isValid() &&
            (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
            !url.host().isEmpty() && (url.path().isEmpty() || url.path() == u"/") &&
            !url.hasQuery() && !url.hasFragment() && url.userInfo().isEmpty();
        if (!isOrigin)
            return QCoreApplication::translate(
                       "CorsPolicy", "\"%1\" is not an origin such as https://crm.example.com.")
                .arg(origin);
    }
    return {};
}

bool CorsPolicy::allows(const QByteArray &origin) const
{
    return !origin.isEmpty() && m_origins.contains(normalized(QString::fromLatin1(origin)));
}

CorsPolicy::Headers CorsPolicy::responseHeaders(const QByteArray &origin) const
{
    if (!allows(origin))
        return {};
    return {
        {QByteArrayLiteral("Access-Control-Allow-Origin"), origin},
        // Caches must not hand one origin's answer to another.
        {QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")},
        {QByteArrayLiteral("Access-Control-Expose-Headers"),
         QByteArrayLiteral("ETag, Location, Retry-After, RateLimit, RateLimit-Policy, "
                           "Idempotent-Replayed, Preference-Applied")},
    };
}

CorsPolicy::Headers CorsPolicy::preflightHeaders(const QByteArray &origin,
                                                 const QByteArray &allowedMethods) const
{
    if (!allows(origin))
        return {};
    return {
        {QByteArrayLiteral("Access-Control-Allow-Origin"), origin},
        {QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")},
        {QByteArrayLiteral("Access-Control-Allow-Methods"), allowedMethods},
        {QByteArrayLiteral("Access-Control-Allow-Headers"),
         QByteArrayLiteral("Authorization, Content-Type, If-Match, Idempotency-Key, Prefer")},
        {QByteArrayLiteral("Access-Control-Max-Age"), QByteArrayLiteral("600")},
    };
}
