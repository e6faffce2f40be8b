#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QSet>
#include <QStringList>

// The names under which the API may be addressed, checked against each request's Host header
// so that a web page cannot reach it through DNS rebinding: a browser sends the attacker's own
// name as the Host, which is not on the list. Allowed are localhost, 127.0.0.1 and [::1] with
// the API's port, the bound address with the port (every local interface's address when bound
// to all of them), and the configured names with any port or none, as a reverse proxy may send
// them (a name configured as "name:port" with that port only). Immutable, so any thread may
// read it.
class HostAllowList final
{
public:
    HostAllowList() = default;
    HostAllowList(const QHostAddress &boundAddress, quint16 port, const QStringList &names);

    bool allows(QByteArrayView host) const;
    // For the error message and the log.
    QStringList describe() const;

private:
    // Lower case; exact "host:port" forms, and names allowed with any port.
    QSet<QByteArray> m_withPort;
    QSet<QByteArray> m_anyPort;
};
