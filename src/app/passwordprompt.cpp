#include "passwordprompt.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PasswordPrompt", text);
}

// One line of standard input without its line end; false at end of input.
bool readLine(QString *line)
{
    std::string bytes;
    int c = 0;
    while ((c = std::getchar()) != EOF && c != '\n')
        bytes.push_back(char(c));
    if (c == EOF && bytes.empty())
        return false;
    if (!bytes.empty() && bytes.back() == '\r')
        bytes.pop_back();
    *line = QString::fromStdString(bytes);
    return true;
}

// Turns terminal echo off while it lives.
class EchoOff final
{
public:
    EchoOff()
    {
        m_active = ::tcgetattr(STDIN_FILENO, &m_saved) == 0;
        if (m_active) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    ~EchoOff()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    Q_DISABLE_COPY_MOVE(EchoOff)

private:
    termios m_saved{};
    bool m_active = false;
};

QString ask(const QString &prompt, bool *ok)
{
    QTextStream err(stderr);
    err << prompt << Qt::flush;
    QString line;
    {
        const EchoOff echoOff;
        *ok = readLine(&line);
    }
    err << Qt::endl;
    return line;
}

} // namespace

QString PasswordPrompt::read(const QString &prompt, Purpose purpose, QString *error)
{
    bool ok = false;
    if (!::isatty(STDIN_FILENO)) {
        QString line;
        if (!readLine(&line) || line.isEmpty()) {
            *error = tr("no password on standard input");
            return {};
        }
        return line;
    }
    const QString first = ask(prompt, &ok);
    if (!ok || first.isEmpty()) {
        *error = tr("no password given");
        return {};
    }
    if (purpose == Purpose::Current)
        return first;
    const QString second = ask(tr("Repeat the password: "), &ok);
    if (!ok || second != first) {
        *error = tr("the two passwords differ");
        return {};
    }
    return first;
}
