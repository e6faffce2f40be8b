#include "sseparser.h"

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> events;
    for (const char c : bytes) {
        // A CR LF pair is one line end, even when the pair is split between two pieces.
        if (m_skipLineFeed) {
            m_skipLineFeed = false;
            if (c == '\n')
                continue;
        }
        if (c == '\r' || c == '\n') {
            m_skipLineFeed = c == '\r';
            processLine(std::exchange(m_line, {}), events);
            continue;
        }
        m_line.append(c);
    }
    return events;
}

void SseParser::processLine(const QByteArray &rawLine, QList<SseEvent> &events)
{
    QByteArray line = rawLine;
    // A byte order mark may open the stream, and only the stream.
    if (m_firstLine && line.startsWith("\xEF\xBB\xBF"))
        line.remove(0, 3);
    m_firstLine = false;

    if (line.isEmpty()) {
        if (m_hasData) {
            SseEvent event;
            if (!m_type.isEmpty())
                event.type = m_type;
            event.data = m_data;
            event.lastEventId = m_lastEventId;
            events.append(event);
        }
        m_type.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return; // a comment, such as a keep-alive
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);

    if (field == "data") {
        if (m_hasData)
            m_data += u'\n';
        m_data += QString::fromUtf8(value);
        m_hasData = true;
    } else if (field == "event") {
        m_type = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    } else if (field == "retry") {
        bool digitsOnly = !value.isEmpty();
        for (const char c : std::as_const(value))
            digitsOnly = digitsOnly && c >= '0' && c <= '9';
        if (digitsOnly)
            m_retryMs = value.toLongLong();
    }
}
