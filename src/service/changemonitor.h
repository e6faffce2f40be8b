#pragma once

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class Database;
class TicketRepository;

// Notices what other connections commit (another process, another node) and says so. It lives
// on a thread of its own with its own connection, made and ended by TicketService.
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

private:
    void poll();

    const Database &m_database;
    QTimer m_timer;
    std::unique_ptr<TicketRepository> m_tickets;
    std::optional<qint64> m_lastVersion;
};
