#include "hostallowlist.h"

#include <QNetworkInterface>

namespace {

QByteArray hostText(const QHostAddress &address)
{
    QHostAddress plain = address;
    plain.setScopeId(QString());
    const QByteArray text = plain.toString().toLatin1().toLower();
    return plain.protocol() == QAbstractSocket::IPv6Protocol ? '[' + text + ']' : text;
}

// Where "name:port" puts its colon, not counting the colons of a bracketed IPv6 address; -1
// without one.
qsizetype portColon(const QByteArray &host)
{
    const qsizetype colon = host.lastIndexOf(':');
    return colon > host.lastIndexOf(']') ? colon : -1;
}

bool isPort(QByteArrayView text)
{
    bool numeric = !text.isEmpty();
    for (const char c : text)
        numeric = numeric && c >= '0' && c <= '9';
    return numeric;
}

} // namespace

HostAllowList::HostAllowList(const QHostAddress &boundAddress, quint16 port,
                             const QStringList &names)
{
    const QByteArray suffix = ':' + QByteArray::number(port);
    QList<QByteArray> hosts{"localhost", "127.0.0.1", "[::1]"};
    const bool boundToAll = boundAddress == QHostAddress::Any ||
                            boundAddress == QHostAddress::AnyIPv4 ||
                            boundAddress == QHostAddress::AnyIPv6;
    // An address literal cannot be rebound by DNS; with every interface bound, each of them is
    // a way a client on the network may address this machine.
    if (boundToAll) {
        for (const QHostAddress &address : QNetworkInterface::allAddresses())
            hosts.append(hostText(address));
    } else {
        hosts.append(hostText(boundAddress));
    }
    for (const QByteArray &host : std::as_const(hosts)) {
        m_withPort.insert(host + suffix);
        // Browsers leave out the scheme's default port.
        if (port == 80 || port == 443)
            m_withPort.insert(host);
    }
    for (const QString &name : names) {
        const QByteArray trimmed = name.trimmed().toLatin1().toLower();
        if (trimmed.isEmpty())
            continue;
        // A name configured with a port ("proxy.example:8443") allows that port only; stored
        // with the names that allow any port, it would never match at all.
        const qsizetype colon = portColon(trimmed);
        if (colon >= 0 && isPort(QByteArrayView(trimmed).sliced(colon + 1)))
            m_withPort.insert(trimmed);
        else
            m_anyPort.insert(trimmed);
    }
}

bool HostAllowList::allows(QByteArrayView host) const
{
    const QByteArray lower = host.toByteArray().trimmed().toLower();
    if (lower.isEmpty())
        return false;
    if (m_withPort.contains(lower))
        return true;
    // Strip a port, but not the colons of a bracketed IPv6 address.
    QByteArray name = lower;
    if (const qsizetype colon = portColon(lower); colon >= 0) {
        if (!isPort(QByteArrayView(lower).sliced(colon + 1)))
            return false;
        name = lower.left(colon);
    }
    return m_anyPort.contains(name);
}

QStringList HostAllowList::describe() const
{
    QStringList hosts;
    for (const QByteArray &host : m_withPort)
        hosts.append(QString::fromLatin1(host));
    for (const QByteArray &name : m_anyPort)
        hosts.append(QString::fromLatin1(name));
    hosts.sort();
    return hosts;
}
