#include "commandline.h"
#include "evaluatecommand.h"
#include "importcommand.h"
#include "modelscommand.h"
#include "servecommand.h"
#include "tokenscommand.h"
#include "traincommand.h"
#include "userscommand.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>

#include <memory>
#include <sys/resource.h>

namespace {

// A server holds a descriptor per client; the usual soft limit of 1,024 would cap it there
// although the hard limit allows far more.
void raiseOpenFileLimit()
{
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    raiseOpenFileLimit();
    QCoreApplication::setOrganizationName(QStringLiteral("SupportConsole"));
    QCoreApplication::setApplicationName(QStringLiteral("support-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SUPPORT_CONSOLE_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN")) {
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning: "
                                          "%{endif}%{if-critical}error: %{endif}%{message}"));
    }

    // The command decides the application class: only the window needs a display, so headless
    // servers, imports and training run where there is none.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const auto parsed = CommandLine::parse(arguments);
    if (const QString *error = std::get_if<QString>(&parsed)) {
        QTextStream(stderr) << "support-console: " << *error << Qt::endl;
        return 2;
    }
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    // Without a display Qt would abort inside QApplication; say what to do instead.
    if (commandLine.command == CommandLine::Command::Console &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        QTextStream(stderr) << QCoreApplication::translate(
                                   "main", "support-console: no display to open the window on; "
                                           "run \"support-console --headless\" for the HTTP "
                                           "API alone.")
                            << Qt::endl;
        return 1;
    }
    const std::unique_ptr<QCoreApplication> app =
        commandLine.command == CommandLine::Command::Console
            ? std::make_unique<QApplication>(argc, argv)
            : std::make_unique<QCoreApplication>(argc, argv);
    switch (commandLine.command) {
    case CommandLine::Command::Import:
        return ImportCommand::run(commandLine);
    case CommandLine::Command::Evaluate:
        return EvaluateCommand::run(commandLine);
    case CommandLine::Command::Train:
        return TrainCommand::run(commandLine);
    case CommandLine::Command::Users:
        return UsersCommand::run(commandLine);
    case CommandLine::Command::Tokens:
        return TokensCommand::run(commandLine);
    case CommandLine::Command::Models:
        return ModelsCommand::run(commandLine);
    case CommandLine::Command::Console:
        return ServeCommand::run(commandLine, ServeCommand::Mode::Window);
    case CommandLine::Command::Headless:
        return ServeCommand::run(commandLine, ServeCommand::Mode::Headless);
    }
    return 1;
}
