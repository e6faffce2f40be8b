#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// One server-sent event as the WHATWG HTML standard's event-stream format defines it.
struct SseEvent
{
    // "message" when the stream named none.
    QString type = QStringLiteral("message");
    // The data lines joined by line feeds.
    QString data;
    // The last event id the stream set, carried by every later event.
    QString lastEventId;

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

// Reads a text/event-stream as it arrives, in pieces cut anywhere, even inside a UTF-8
// character or between CR and LF. Follows the standard's parsing rules: comments and unknown
// fields are ignored, an event without data is not dispatched, and "retry" is remembered.
class SseParser final
{
public:
    // The events the bytes complete, in order.
    QList<SseEvent> feed(const QByteArray &bytes);

    // A reconnection delay the stream asked for, in milliseconds.
    std::optional<qint64> retryMs() const { return m_retryMs; }
    // Bytes kept waiting for the end of their line; a stream that never ends a line is refused
    // by its reader before this grows without bound.
    qsizetype pendingBytes() const { return m_line.size(); }
    // The data of an event not yet complete, which grows with every data line until a blank one.
    qsizetype pendingEventCharacters() const { return m_data.size(); }

private:
    void processLine(const QByteArray &line, QList<SseEvent> &events);

    QByteArray m_line;
    bool m_skipLineFeed = false;
    bool m_firstLine = true;
    QString m_type;
    QString m_data;
    bool m_hasData = false;
    QString m_lastEventId;
    std::optional<qint64> m_retryMs;
};
