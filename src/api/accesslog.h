#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <condition_variable>
#include <mutex>
#include <thread>

// The API's request log: a line per answered request, written to standard error in batches by a
// thread of its own, so that no request waits on the terminal or the journal behind it. Lines
// keep the program's message format (a timestamp, then the text). On while the logging category
// supportconsole.api.requests is; everything appended is written by the time flush() returns or
// the log is destroyed.
class AccessLog final
{
public:
    AccessLog();
    ~AccessLog();
    Q_DISABLE_COPY_MOVE(AccessLog)

    // Whether lines are wanted at all; checked before building one.
    static bool isEnabled();
    // One line, without its line break. Any thread.
    void append(QByteArrayView line);
    void flush();

private:
    void run();
    void write(const QByteArray &lines);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_written;
    QByteArray m_pending;
    quint64 m_appended = 0;
    quint64 m_flushed = 0;
    quint64 m_flushWanted = 0;
    bool m_stopping = false;
    std::thread m_writer;
};
