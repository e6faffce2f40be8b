#pragma once

#include <QProcess>
#include <QString>

#include <functional>

// The support-console program under test, headless on an OS-chosen loopback port with its
// request log silenced, as the benchmarks that drive it from outside run it.
class ServerProcess final
{
public:
    // Opening a large database after a kill replays its WAL first; starting allows for that.
    static constexpr int kStartTimeoutMs = 120'000;

    ServerProcess(const QString &program, const QString &database, const QString &logPath);
    ~ServerProcess();
    Q_DISABLE_COPY_MOVE(ServerProcess)

    // Returns the port, or 0 with the reason in *error.
    quint16 start(QString *error);
    // SIGKILL: no shutdown code of the program runs.
    void kill();
    // SIGTERM, the clean way; true if the program exited by itself with code 0.
    bool terminate();
    // The CPU time the program has used so far, user and system, in seconds (Linux /proc).
    double cpuSeconds() const;

    // A token made the way an administrator makes one, with the program's `tokens create`,
    // which prints the secret alone on its last line. Empty on failure, with the reason.
    static QByteArray createToken(const QString &program, const QString &database,
                                  const QString &namePrefix, const QString &scopes, QString *error);

private:
    QProcess m_process;
};

// Runs the event loop until the condition holds or the time is up; polling keeps it simple and
// the 10 ms granularity is far below anything the benchmarks measure.
bool runEventLoopUntil(const std::function<bool()> &condition, int timeoutMs);
