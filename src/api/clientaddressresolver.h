#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

// Finds the client of a request that came through trusted reverse proxies, from the socket's
// peer address and X-Forwarded-For. Immutable once built, so every API thread may share one.
class ClientAddressResolver final
{
public:
    // An address and a prefix length, as QHostAddress::parseSubnet() gives it.
    using Subnet = std::pair<QHostAddress, int>;

    // A user's list of trusted proxies, with one message for every entry that is not one.
    struct ParsedSubnets
    {
        QList<Subnet> subnets;
        QStringList errors;

        bool isValid() const { return errors.isEmpty(); }
    };

    // Trusts no proxy: every request's client is its peer.
    ClientAddressResolver() = default;
    explicit ClientAddressResolver(QList<Subnet> trustedProxies);

    // "10.0.0.0/8, 192.168.1.5 2001:db8::/32": addresses (one host) and subnets, separated by
    // commas or white space. A subnet's address bits beyond its prefix are ignored.
    static ParsedSubnets parseSubnets(const QString &list);

    // The client's address. peer is the socket's; forwardedFor holds the X-Forwarded-For field
    // lines in the order received (one element holding them joined by commas is the same).
    // Unless peer is a trusted proxy the header is
    // ignored, since anyone can send it. Otherwise the list is read from the right, each
    // trusted proxy naming the hop before it, and the first address that is not a trusted
    // proxy is the client. An entry that is not an address ends the walk: the client is then
    // the trusted proxy nearest to it (see the .cpp). IPv4-mapped IPv6 addresses come back as
    // IPv4.
    QHostAddress resolve(const QHostAddress &peer, const QList<QByteArray> &forwardedFor) const;

    bool isTrusted(const QHostAddress &address) const;
    const QList<Subnet> &trustedProxies() const { return m_trusted; }

    // ::ffff:192.0.2.1 as 192.0.2.1; any other address unchanged.
    static QHostAddress normalized(const QHostAddress &address);
    // What limits and bans count a client by: its IPv4 address, or the /64 network of its IPv6
    // address ("2001:db8:1:2::/64"), since one subscriber holds a whole /64 and could otherwise
    // present a fresh address on every request.
    static QString partitionKey(const QHostAddress &client);

private:
    QList<Subnet> m_trusted;
};
