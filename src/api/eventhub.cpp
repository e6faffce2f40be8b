#include "eventhub.h"

#include "apilogging.h"
#include "changeevent.h"
#include "jsonkeys.h"
#include "ssewriter.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "ticketsession.h"

#include <QHash>
#include <QJsonDocument>

namespace {

QByteArray resetEvent(const QString &reason, qint64 resumesAfter)
{
    const QJsonObject data{{JsonKey::reason, reason}, {JsonKey::resumesAfter, resumesAfter}};
    return SseWriter::event(QStringLiteral("reset"),
                            QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact)),
                            QString::number(resumesAfter));
}

} // namespace

EventHub::EventHub(TicketService &service, TicketSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(&service, &TicketService::ticketsChanged, this, &EventHub::deliver);
    m_poll.setInterval(kPollInterval);
    connect(&m_poll, &QTimer::timeout, this, &EventHub::deliver);
    m_keepAlive.setInterval(kKeepAliveInterval);
    connect(&m_keepAlive, &QTimer::timeout, this, &EventHub::keepAlive);
}

EventHub::~EventHub() = default;

void EventHub::subscribe(HttpStream stream, std::optional<qint64> after, bool seesInternal)
{
    Subscriber subscriber{std::move(stream), 0, seesInternal};
    // Whatever is old enough to go goes before the check, not just after it.
    trimNowAndThen();
    try {
        const qint64 latest = m_session.changeEvents().latestPosition();
        const qint64 trimmed = m_session.changeEvents().trimmedThrough();
        subscriber.last = after.value_or(latest);
        // Resuming from before what is kept, or from a position this log never had (another
        // database's): the client must read the tickets afresh, and learns where it now is.
        if (subscriber.last < trimmed) {
            subscriber.stream.write(resetEvent(QStringLiteral("expired"), trimmed));
            subscriber.last = trimmed;
        } else if (subscriber.last > latest) {
            subscriber.stream.write(resetEvent(QStringLiteral("unknown"), latest));
            subscriber.last = latest;
        }
    } catch (const StorageError &error) {
        qCWarning(lcApi) << "Could not start an event stream:" << error.message();
        subscriber.stream.end();
        return;
    }
    // A comment at once: the client knows the stream is open before the first change.
    subscriber.stream.write(SseWriter::comment(QStringLiteral("subscribed")));
    m_subscribers.push_back(std::move(subscriber));
    m_poll.start();
    m_keepAlive.start();
    // Catching up happens after this returns, not inside the request that subscribed.
    if (!std::exchange(m_deliverQueued, true))
        QMetaObject::invokeMethod(this, &EventHub::deliver, Qt::QueuedConnection);
}

void EventHub::deliver()
{
    m_deliverQueued = false;
    dropGone();
    if (m_subscribers.empty())
        return;
    trimNowAndThen();
    QList<ChangeEvent> events;
    try {
        // A subscriber still catching up may fall behind what this or another node trimmed
        // meanwhile: it hears so, rather than silently skipping what went.
        const qint64 trimmed = m_session.changeEvents().trimmedThrough();
        for (Subscriber &subscriber : m_subscribers) {
            if (subscriber.last < trimmed) {
                subscriber.stream.write(resetEvent(QStringLiteral("expired"), trimmed));
                subscriber.last = trimmed;
            }
        }
        qint64 from = m_subscribers.front().last;
        for (const Subscriber &subscriber : m_subscribers)
            from = std::min(from, subscriber.last);
        events = m_session.changeEvents().after(from, kPageSize);
    } catch (const StorageError &error) {
        // The next announcement or poll tries again; the subscribers keep their place.
        qCWarning(lcApi) << "Could not read the change events:" << error.message();
        return;
    }
    if (events.isEmpty())
        return;
    // Written once, whoever reads it.
    QList<QByteArray> written;
    written.reserve(events.size());
    for (const ChangeEvent &event : std::as_const(events)) {
        written.append(SseWriter::event(
            event.type,
            QString::fromUtf8(QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact)),
            QString::number(event.position)));
    }
    const qint64 newest = events.last().position;
    for (Subscriber &subscriber : m_subscribers) {
        for (qsizetype i = 0; i < events.size(); ++i) {
            const ChangeEvent &event = events.at(i);
            if (event.position <= subscriber.last || (event.internal && !subscriber.seesInternal))
                continue;
            if (!subscriber.stream.write(written.at(i)))
                break;
        }
        subscriber.last = std::max(subscriber.last, newest);
    }
    dropGone();
    // A full page means more are waiting: a subscriber far behind catches up page by page.
    if (events.size() == kPageSize && !std::exchange(m_deliverQueued, true))
        QMetaObject::invokeMethod(this, &EventHub::deliver, Qt::QueuedConnection);
}

void EventHub::keepAlive()
{
    for (Subscriber &subscriber : m_subscribers)
        subscriber.stream.write(SseWriter::comment(QStringLiteral("keep-alive")));
    dropGone();
}

void EventHub::trimNowAndThen()
{
    const auto now = std::chrono::steady_clock::now();
    if (m_lastTrim && now - *m_lastTrim < kTrimInterval)
        return;
    m_lastTrim = now;
    try {
        const qint64 removed = m_session.changeEvents().trimBefore(
            QDateTime::currentDateTimeUtc().addDays(-ChangeEvent::kRetentionDays));
        if (removed > 0)
            qCInfo(lcApi) << "Removed" << removed << "change events older than"
                          << ChangeEvent::kRetentionDays << "days";
    } catch (const StorageError &error) {
        qCWarning(lcApi) << "Could not trim the change events:" << error.message();
    }
}

void EventHub::dropGone()
{
    m_subscribers.remove_if(
        [](const Subscriber &subscriber) { return subscriber.stream.isGone(); });
    if (m_subscribers.empty()) {
        m_poll.stop();
        m_keepAlive.stop();
    }
}
