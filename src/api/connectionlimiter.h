#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QString>

#include <memory>
#include <optional>
#include <variant>

// How many connections the API holds open at once, per client address and in all, shared by a
// node's API threads. One client cannot take every connection, and the node never holds more
// than its descriptors allow: past a cap, a new connection is answered at once and closed.
class ConnectionLimiter final
{
public:
    struct Policy
    {
        int perAddress = 256;
        int total = 10'000;
    };
    // Held while the connection is open; dropping it frees its place.
    using Slot = std::shared_ptr<void>;
    struct Refusal
    {
        // 429 for one client over its share, 503 when the node is full.
        int status = 503;
        QString message;
    };

    explicit ConnectionLimiter(const Policy &policy);
    Q_DISABLE_COPY_MOVE(ConnectionLimiter)

    // A place for a connection from this client (as ClientAddressResolver::partitionKey()
    // groups them), or why there is none. A trusted reverse proxy carries many clients, so only
    // the total counts for it (perAddress false).
    std::variant<Slot, Refusal> admit(const QHostAddress &client, bool perAddress = true);
    int openConnections() const;
    const Policy &policy() const { return m_policy; }

private:
    void release(const QString &key);

    const Policy m_policy;
    mutable QMutex m_mutex;
    QHash<QString, int> m_perAddress;
    int m_total = 0;
};
