#include "accesslog.h"

#include "apilogging.h"

#include <QDateTime>

#include <cerrno>
#include <unistd.h>

namespace {

// A batch goes out this often, or sooner once it is this large.
constexpr std::chrono::milliseconds kFlushInterval{200};
constexpr qsizetype kFlushBytes = 64 * 1024;

// "2026-12-06T13:45:01.123 ", as main()'s message pattern writes the time. The part up to the
// second is made once a second per thread, not per line.
struct Timestamp
{
    const QByteArray &prefix;
    char milliseconds[4];
};

Timestamp timestamp()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cachedPrefix;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (nowMs / 1000 != cachedSecond) {
        cachedSecond = nowMs / 1000;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(cachedSecond)
                           .toString(QStringLiteral("yyyy-MM-ddThh:mm:ss."))
                           .toLatin1();
    }
    const int ms = int(nowMs % 1000);
    return {cachedPrefix,
            {char('0' + ms / 100), char('0' + ms / 10 % 10), char('0' + ms % 10), ' '}};
}

} // namespace

AccessLog::AccessLog()
    : m_writer([this] { run(); })
{}

AccessLog::~AccessLog()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_writer.join();
}

bool AccessLog::isEnabled()
{
    return lcApiRequests().isInfoEnabled();
}

void AccessLog::append(QByteArrayView line)
{
    const Timestamp stamp = timestamp();
    bool full = false;
    {
        const std::lock_guard lock(m_mutex);
        // Room for a whole batch at once, rather than growing line by line.
        if (m_pending.capacity() == 0)
            m_pending.reserve(kFlushBytes + 4096);
        m_pending.append(stamp.prefix).append(stamp.milliseconds, 4).append(line).append('\n');
        ++m_appended;
        full = m_pending.size() >= kFlushBytes;
    }
    if (full)
        m_wake.notify_one();
}

void AccessLog::flush()
{
    std::unique_lock lock(m_mutex);
    const quint64 wanted = m_appended;
    m_flushWanted = std::max(m_flushWanted, wanted);
    m_wake.notify_one();
    m_written.wait(lock, [&] { return m_flushed >= wanted; });
}

void AccessLog::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait_for(lock, kFlushInterval, [this] {
            return m_stopping || m_pending.size() >= kFlushBytes || m_flushWanted > m_flushed;
        });
        const QByteArray lines = std::exchange(m_pending, QByteArray());
        const quint64 appended = m_appended;
        const bool stopping = m_stopping;
        lock.unlock();
        write(lines);
        lock.lock();
        m_flushed = appended;
        m_written.notify_all();
        if (stopping && m_pending.isEmpty())
            return;
    }
}

void AccessLog::write(const QByteArray &lines)
{
    qsizetype offset = 0;
    while (offset < lines.size()) {
        const ssize_t written =
            ::write(STDERR_FILENO, lines.constData() + offset, size_t(lines.size() - offset));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return; // nowhere to write to; a log must not stop the server
        offset += written;
    }
}
