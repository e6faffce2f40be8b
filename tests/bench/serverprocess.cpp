#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

#include <unistd.h>

ServerProcess::ServerProcess(const QString &program, const QString &database,
                             const QString &logPath)
{
    m_process.setProgram(program);
    m_process.setArguments({QStringLiteral("--headless"), QStringLiteral("--database"), database,
                            QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                            QStringLiteral("--port"), QStringLiteral("0")});
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                       QStringLiteral("supportconsole.api.requests=false"));
    m_process.setProcessEnvironment(environment);
    m_process.setStandardErrorFile(logPath, QIODevice::Append);
}

ServerProcess::~ServerProcess()
{
    kill();
}

quint16 ServerProcess::start(QString *error)
{
    static const QRegularExpression listening(
        QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/"));
    m_process.start();
    if (!m_process.waitForStarted(10'000)) {
        *error = m_process.errorString();
        return 0;
    }
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired()) {
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            const QRegularExpressionMatch match = listening.match(line);
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
        }
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("the server exited with code %1 before listening")
                         .arg(m_process.exitCode());
            return 0;
        }
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    *error = QStringLiteral("the server did not report its port within %1 s")
                 .arg(kStartTimeoutMs / 1000);
    return 0;
}

void ServerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}

bool ServerProcess::terminate()
{
    if (m_process.state() == QProcess::NotRunning)
        return false;
    m_process.terminate();
    if (!m_process.waitForFinished(30'000)) {
        kill();
        return false;
    }
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

double ServerProcess::cpuSeconds() const
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(m_process.processId()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // The command may hold spaces and parentheses: fields are counted after its last ')'.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
    if (fields.size() < 13)
        return 0;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) /
           double(sysconf(_SC_CLK_TCK));
}

QByteArray ServerProcess::createToken(const QString &program, const QString &database,
                                      const QString &namePrefix, const QString &scopes,
                                      QString *error)
{
    QProcess process;
    const QString name = QStringLiteral("%1-%2").arg(
        namePrefix, QString::number(QRandomGenerator::system()->generate64(), 36));
    process.start(program,
                  {QStringLiteral("tokens"), QStringLiteral("create"), name,
                   QStringLiteral("--scopes"), scopes, QStringLiteral("--database"), database});
    if (!process.waitForFinished(kStartTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("tokens create failed: %1")
                     .arg(QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
        return {};
    }
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    return lines.constLast().trimmed();
}

bool runEventLoopUntil(const std::function<bool()> &condition, int timeoutMs)
{
    if (condition())
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (condition() || deadline.hasExpired())
            loop.quit();
    });
    poll.start();
    loop.exec();
    return condition();
}
