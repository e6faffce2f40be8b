#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

class Database;
class TicketRepository;

// Notices what other connections commit (another process, another node) and says so. It lives
// on a thread of its own with its own connection, made and ended by TicketService. SQLite is
// polled for its write version; PostgreSQL notifies, and is only polled to notice a lost
// connection, after which the monitor reconnects, listens again and reports a change, since
// whatever happened meanwhile went unheard.
class ChangeMonitor final : public QObject
{
    Q_OBJECT

public:
    explicit ChangeMonitor(const Database &database);
    // On the monitor's thread: closes its connection.
    ~ChangeMonitor() override;
    Q_DISABLE_COPY_MOVE(ChangeMonitor)

    // On the monitor's thread.
    void start(int pollMs);
    void setPollInterval(int milliseconds);

Q_SIGNALS:
    void changed();
    // The database stopped answering (with the reason) or answers again.
    void availabilityChanged(bool available, const QString &problem);

private:
    void poll();
    void connectAndListen();
    void dropConnection(const QString &problem);

    const Database &m_database;
    const QString m_channel;
    QTimer m_timer;
    std::unique_ptr<TicketRepository> m_tickets;
    std::optional<qint64> m_lastVersion;
    bool m_available = true;
};
