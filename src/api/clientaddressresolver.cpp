#include "clientaddressresolver.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ClientAddressResolver", text);
}

// QHostAddress also takes inet_aton's forms: "1.2.3" is 1.2.0.3 and "010.0.0.1" is octal
// 8.0.0.1. A proxy never writes those, and a user who typed one meant something else, so IPv4
// is four decimal parts without leading zeros; QHostAddress checks the ranges.
bool isDottedQuad(QStringView text)
{
    const QList<QStringView> parts = text.split(u'.');
    return parts.size() == 4 && std::all_of(parts.cbegin(), parts.cend(), [](QStringView part) {
               return !part.isEmpty() && part.size() <= 3 &&
                      (part.size() == 1 || part[0] != u'0') &&
                      std::all_of(part.begin(), part.end(),
                                  [](QChar c) { return c >= u'0' && c <= u'9'; });
           });
}

std::optional<QHostAddress> parseAddress(QStringView text)
{
    if (!text.contains(u':') && !isDottedQuad(text))
        return std::nullopt;
    if (std::any_of(text.begin(), text.end(), [](QChar c) { return c.isSpace(); }))
        return std::nullopt;
    QHostAddress address;
    if (!address.setAddress(text.toString()))
        return std::nullopt;
    return address;
}

bool isPort(QByteArrayView digits)
{
    return !digits.isEmpty() && digits.size() <= 5 &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One X-Forwarded-For element: an address, or (as some proxies write it) an IPv4 address with
// a port or a bracketed IPv6 address with or without one. Anything else, "unknown" and
// RFC 7239's "_hidden" names included, is not an address.
std::optional<QHostAddress> parseElement(QByteArrayView element)
{
    QByteArrayView host = element;
    if (element.startsWith('[')) {
        const qsizetype close = element.indexOf(']');
        if (close < 0)
            return std::nullopt;
        const QByteArrayView rest = element.sliced(close + 1);
        if (!rest.isEmpty() && !(rest.startsWith(':') && isPort(rest.sliced(1))))
            return std::nullopt;
        host = element.sliced(1, close - 1);
        if (!host.contains(':'))
            return std::nullopt;
    } else if (std::count(element.begin(), element.end(), ':') == 1) {
        const qsizetype colon = element.indexOf(':');
        if (!isPort(element.sliced(colon + 1)))
            return std::nullopt;
        host = element.first(colon);
    }
    return parseAddress(QString::fromLatin1(host));
}

bool isMapped(const Q_IPV6ADDR &bytes)
{
    return std::all_of(bytes.c, bytes.c + 10, [](quint8 b) { return b == 0; }) &&
           bytes[10] == 0xff && bytes[11] == 0xff;
}

} // namespace

ClientAddressResolver::ClientAddressResolver(QList<Subnet> trustedProxies)
    : m_trusted(std::move(trustedProxies))
{
    // Proxies listed as mapped addresses must match the IPv4 peers that resolve() compares.
    for (Subnet &subnet : m_trusted) {
        if (subnet.first.protocol() == QAbstractSocket::IPv6Protocol &&
            isMapped(subnet.first.toIPv6Address()) && subnet.second >= 96)
            subnet = {normalized(subnet.first), subnet.second - 96};
    }
}

ClientAddressResolver::ParsedSubnets ClientAddressResolver::parseSubnets(const QString &list)
{
    static const QRegularExpression separators(uR"([\s,]+)"_s);
    ParsedSubnets parsed;
    const QStringList entries = list.split(separators, Qt::SkipEmptyParts);
    for (const QString &entry : entries) {
        const qsizetype slash = entry.indexOf(u'/');
        const std::optional<QHostAddress> address =
            parseAddress(slash < 0 ? QStringView(entry) : QStringView(entry).first(slash));
        if (!address) {
            parsed.errors.append(
                tr("\"%1\" is not an IP address or subnet (like 192.168.1.5, 10.0.0.0/8 or "
                   "2001:db8::/32).")
                    .arg(entry));
            continue;
        }
        const int maxPrefix = address->protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        int prefix = maxPrefix;
        if (slash >= 0) {
            const QStringView digits = QStringView(entry).sliced(slash + 1);
            bool ok = digits.size() <= 3 && std::all_of(digits.begin(), digits.end(),
                                                        [](QChar c) { return c.isDigit(); });
            prefix = ok ? digits.toInt(&ok) : -1;
            if (!ok || prefix > maxPrefix) {
                parsed.errors.append(
                    tr("\"%1\": the prefix length after / must be a number from 0 to %2.")
                        .arg(entry)
                        .arg(maxPrefix));
                continue;
            }
        }
        // parseSubnet() clears the bits beyond the prefix, so 10.1.2.3/8 shows as 10.0.0.0/8.
        parsed.subnets.append(
            QHostAddress::parseSubnet(address->toString() + u'/' + QString::number(prefix)));
    }
    return parsed;
}

// Each trusted proxy appends the address of whoever connected to it, so reading from the
// right, every entry written by a trusted proxy is believable and the first untrusted one is
// as far as belief goes: anything to its left is the client's own say. An entry that is not an
// address was written by a trusted hop (an untrusted one would have ended the walk before it),
// one that hides its clients ("unknown", "_hidden"); we cannot see past it, so the client is
// that hop's own address, the last one read. A request from a trusted proxy that forwards
// only trusted addresses comes from the leftmost of them, say a health check of the proxy.
QHostAddress ClientAddressResolver::resolve(const QHostAddress &peer,
                                            const QList<QByteArray> &forwardedFor) const
{
    QHostAddress client = normalized(peer);
    if (!isTrusted(client))
        return client;
    for (auto line = forwardedFor.crbegin(); line != forwardedFor.crend(); ++line) {
        QByteArrayView rest(*line);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.lastIndexOf(',');
            const QByteArrayView element = rest.sliced(comma + 1).trimmed();
            rest = rest.first(std::max<qsizetype>(comma, 0));
            if (element.isEmpty())
                continue; // RFC 9110 5.6.1.2: empty list elements are ignored
            const std::optional<QHostAddress> hop = parseElement(element);
            if (!hop)
                return client;
            client = normalized(*hop);
            if (!isTrusted(client))
                return client;
        }
    }
    return client;
}

bool ClientAddressResolver::isTrusted(const QHostAddress &address) const
{
    const QHostAddress candidate = normalized(address);
    return std::any_of(m_trusted.cbegin(), m_trusted.cend(),
                       [&candidate](const Subnet &subnet) { return candidate.isInSubnet(subnet); });
}

QHostAddress ClientAddressResolver::normalized(const QHostAddress &address)
{
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address;
    const Q_IPV6ADDR bytes = address.toIPv6Address();
    if (!isMapped(bytes))
        return address;
    return QHostAddress(quint32(bytes[12]) << 24 | quint32(bytes[13]) << 16 |
                        quint32(bytes[14]) << 8 | quint32(bytes[15]));
}

QString ClientAddressResolver::partitionKey(const QHostAddress &client)
{
    const QHostAddress address = normalized(client);
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, quint8(0));
    return QHostAddress(bytes).toString() + u"/64";
}
