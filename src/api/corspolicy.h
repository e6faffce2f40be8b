#pragma once

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QStringList>

#include <utility>

// Which web pages may call the API from a browser (CORS). None unless origins are configured:
// then the API sends no CORS headers at all and browsers keep other sites' pages out. A page
// from a configured origin still needs a token; the browser sends no credential by itself, since
// tokens travel in a header, never in cookies. Immutable, so every API thread may share one.
class CorsPolicy final
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    CorsPolicy() = default;
    // Origins as a browser sends them: "https://crm.example.com" (scheme, host, port if not the
    // default). Compared case-insensitively; a trailing '/' is ignored.
    explicit CorsPolicy(const QStringList &origins);

    // "https://crm.example.com" is an origin; "crm.example.com", "*" or a path are not. Empty
    // when every entry is one; otherwise what is wrong, for the user.
    static QString problem(const QStringList &origins);

    bool isEmpty() const { return m_origins.isEmpty(); }
    // For an ordinary answer to a request with this Origin header.
    Headers responseHeaders(const QByteArray &origin) const;
    // For an OPTIONS preflight from this origin for a path allowing these methods.
    Headers preflightHeaders(const QByteArray &origin, const QByteArray &allowedMethods) const;

private:
    bool allows(const QByteArray &origin) const;

    QSet<QByteArray> m_origins;
};
