#include "connectionlimiter.h"

#include "clientaddressresolver.h"

#include <QMutexLocker>

ConnectionLimiter::ConnectionLimiter(const Policy &policy)
    : m_policy(policy)
{}

std::variant<ConnectionLimiter::Slot, ConnectionLimiter::Refusal>
ConnectionLimiter::admit(const QHostAddress &client, bool perAddress)
{
    const QString key =
        ClientAddressResolver::partitionKey(ClientAddressResolver::normalized(client));
    const QMutexLocker lock(&m_mutex);
    if (m_total >= m_policy.total) {
        return Refusal{503, QStringLiteral("The server holds as many connections as it can; try "
                                           "again shortly.")};
    }
    int &fromClient = m_perAddress[key];
    if (perAddress && fromClient >= m_policy.perAddress) {
        return Refusal{429, QStringLiteral("This address holds %1 connections already; reuse "
                                           "them or close some.")
                                .arg(m_policy.perAddress)};
    }
    ++fromClient;
    ++m_total;
    // The slot may outlive nothing it points to: the limiter outlives the API's threads.
    return Slot(nullptr, [this, key](void *) { release(key); });
}

int ConnectionLimiter::openConnections() const
{
    const QMutexLocker lock(&m_mutex);
    return m_total;
}

void ConnectionLimiter::release(const QString &key)
{
    const QMutexLocker lock(&m_mutex);
    --m_total;
    if (auto it = m_perAddress.find(key); it != m_perAddress.end() && --*it <= 0)
        m_perAddress.erase(it);
}
