#include "consoleprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

using namespace Qt::StringLiterals;

ConsoleProcess::ConsoleProcess(QString binary, QString errorLogFile)
    : m_binary(std::move(binary))
    , m_errorLogFile(std::move(errorLogFile))
{}

ConsoleProcess::~ConsoleProcess()
{
    if (isRunning())
        kill();
}

void ConsoleProcess::start(const QStringList &arguments, const QProcessEnvironment &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // A log line per request would fill the log file under load, and no test reads them here.
    environment.insert(u"QT_LOGGING_RULES"_s, u"supportconsole.api.requests=false"_s);
    environment.insert(extra);
    m_process.setProcessEnvironment(environment);
    m_process.setStandardErrorFile(m_errorLogFile);
    m_process.start(m_binary, arguments);
    m_processId = m_process.processId();
}

bool ConsoleProcess::startNode(const QString &databaseLocation, const QProcessEnvironment &extra,
                               int timeoutMs)
{
    start({u"--headless"_s, u"--port"_s, u"0"_s, u"--database"_s, databaseLocation}, extra);
    return waitForPort(timeoutMs) != 0;
}

quint16 ConsoleProcess::waitForPort(int timeoutMs)
{
    static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)/"_s);
    QElapsedTimer timer;
    timer.start();
    while (m_port == 0) {
        m_out += m_process.readAllStandardOutput();
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_out));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            break;
        }
        if (m_process.state() == QProcess::NotRunning || timer.elapsed() >= timeoutMs)
            break;
        m_process.waitForReadyRead(100);
    }
    return m_port;
}

QUrl ConsoleProcess::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/"_s.arg(m_port));
}

void ConsoleProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(10'000);
}

bool ConsoleProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return false;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs)) {
        kill();
        return false;
    }
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

bool ConsoleProcess::waitForFinished(int timeoutMs)
{
    return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
}

QByteArray ConsoleProcess::standardOutput()
{
    m_out += m_process.readAllStandardOutput();
    return m_out;
}

QByteArray ConsoleProcess::standardError() const
{
    QFile file(m_errorLogFile);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray ConsoleProcess::describe() const
{
    QByteArray error = standardError();
    if (error.size() > 4000)
        error = "..." + error.right(4000);
    return "support-console (pid " + QByteArray::number(m_processId) + ", port " +
           QByteArray::number(m_port) + "), standard error:\n" + error;
}
