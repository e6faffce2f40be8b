#pragma once

#include "httpstream.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <list>
#include <optional>

class TicketService;
class TicketSession;

// GET /events for the clients of one API thread: each subscriber gets every committed change
// after the position it resumed from, in commit order, as server-sent events whose id is the
// position. One read of the log serves every subscriber that is caught up, when the ticket
// service announces a change (here or, through the database, on another node) or at the latest
// every kPollInterval. A quiet stream gets a comment every kKeepAliveInterval. Trims events older
// than ChangeEvent::kRetentionDays now and then.
class EventHub final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 500;
    static constexpr std::chrono::seconds kPollInterval{1};
    static constexpr std::chrono::seconds kKeepAliveInterval{15};
    static constexpr std::chrono::hours kTrimInterval{1};

    // Lives on the session's thread.
    EventHub(TicketService &service, TicketSession &session, QObject *parent = nullptr);
    ~EventHub() override;
    Q_DISABLE_COPY_MOVE(EventHub)

    // From the event after `after`, or from now without one. Internal notes' events only for
    // those who may read notes.
    void subscribe(HttpStream stream, std::optional<qint64> after, bool seesInternal);
    qsizetype subscriberCount() const { return qsizetype(m_subscribers.size()); }

private:
    struct Subscriber
    {
        HttpStream stream;
        qint64 last = 0;
        bool seesInternal = false;
    };

    void deliver();
    void keepAlive();
    void trimNowAndThen();
    void dropGone();

    TicketSession &m_session;
    std::list<Subscriber> m_subscribers;
    QTimer m_poll;
    QTimer m_keepAlive;
    bool m_deliverQueued = false;
    std::optional<std::chrono::steady_clock::time_point> m_lastTrim;
};
