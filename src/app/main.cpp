#include "commandline.h"
#include "evaluatecommand.h"
#include "importcommand.h"
#include "servecommand.h"
#include "traincommand.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SupportConsole"));
    QCoreApplication::setApplicationName(QStringLiteral("support-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SUPPORT_CONSOLE_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN")) {
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning: "
                                          "%{endif}%{if-critical}error: %{endif}%{message}"));
    }

    const auto parsed = CommandLine::parse(QCoreApplication::arguments());
    if (const QString *error = std::get_if<QString>(&parsed)) {
        QTextStream(stderr) << "support-console: " << *error << Qt::endl;
        return 2;
    }
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    switch (commandLine.command) {
    case CommandLine::Command::Import:
        return ImportCommand::run(commandLine);
    case CommandLine::Command::Evaluate:
        return EvaluateCommand::run(commandLine);
    case CommandLine::Command::Train:
        return TrainCommand::run(commandLine);
    case CommandLine::Command::Console: // until the window exists, the console is the API alone
    case CommandLine::Command::Headless:
        return ServeCommand::run(commandLine);
    }
    return 1;
}
