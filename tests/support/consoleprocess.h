#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

// The real support-console program run by a test, as an operator would run a node: its standard
// error goes to a file (a full pipe would stall a busy node), and it is killed with SIGKILL when
// this object goes, however the test ended.
class ConsoleProcess final
{
public:
    // errorLogFile receives the program's standard error.
    ConsoleProcess(QString binary, QString errorLogFile);
    ~ConsoleProcess();
    Q_DISABLE_COPY_MOVE(ConsoleProcess)

    // The test's environment (request log off: busy nodes would fill their logs) plus extra.
    void start(const QStringList &arguments, const QProcessEnvironment &extra = {});
    // Starts `--headless --port 0 --database location` and waits for the port it prints.
    bool startNode(const QString &databaseLocation, const QProcessEnvironment &extra = {},
                   int timeoutMs = 20'000);
    // The port printed by a node (`listening on http://127.0.0.1:PORT/`), or 0 if the program
    // ended or printed none within the timeout.
    quint16 waitForPort(int timeoutMs = 20'000);

    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    // Still known after the process ended.
    qint64 processId() const { return m_processId; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // SIGKILL: nothing is flushed or closed. Returns once the process is gone.
    void kill();
    // SIGTERM, then SIGKILL if it is still running after timeoutMs; true when it stopped cleanly.
    bool stop(int timeoutMs = 15'000);
    bool waitForFinished(int timeoutMs);
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    int exitCode() const { return m_process.exitCode(); }

    QByteArray standardOutput();
    QByteArray standardError() const;
    // For failure messages: the port, and the end of the program's standard error.
    QByteArray describe() const;

private:
    QString m_binary;
    QString m_errorLogFile;
    QProcess m_process;
    QByteArray m_out;
    quint16 m_port = 0;
    qint64 m_processId = 0;
};
