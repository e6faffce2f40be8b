#include "userscommand.h"

#include "actor.h"
#include "database.h"
#include "passwordprompt.h"
#include "storageerror.h"
#include "timestamps.h"
#include "useraccounts.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("UsersCommand", text);
}

// Whoever runs the command holds the database credentials; the log names their account.
Actor commandLineActor()
{
    return Actor::system(QStringLiteral("cli:") + Actor::desktopUser().name);
}

int list(UserAccounts &users, QTextStream &out)
{
    const QList<UserAccount> all = users.list();
    if (all.isEmpty()) {
        out << tr("No users yet; add the first admin with: support-console users add NAME "
                  "--role admin")
            << Qt::endl;
        return 0;
    }
    out << QStringLiteral("%1  %2  %3  %4")
               .arg(tr("NAME"), -24)
               .arg(tr("ROLE"), -8)
               .arg(tr("STATE"), -9)
               .arg(tr("CREATED"))
        << Qt::endl;
    for (const UserAccount &user : all) {
        out << QStringLiteral("%1  %2  %3  %4")
                   .arg(user.name, -24)
                   .arg(QString(roleName(user.role)), -8)
                   .arg(user.disabled ? tr("disabled") : tr("active"), -9)
                   .arg(Timestamps::toIso(user.createdAt))
            << Qt::endl;
    }
    return 0;
}

} // namespace

int UsersCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const Database database(commandLine.database);
    const QString &name = commandLine.adminName;
    const QString &action = commandLine.adminAction;
    std::optional<Role> role;
    if (action == QLatin1String("add")) {
        role = roleFromName(commandLine.userRole);
        if (!role) {
            err << tr("support-console: --role must be agent, manager or admin, not \"%1\".")
                       .arg(commandLine.userRole)
                << Qt::endl;
            return 2;
        }
    }
    QString password;
    if (action == QLatin1String("add") || action == QLatin1String("passwd")) {
        QString problem;
        password = PasswordPrompt::read(tr("Password for %1: ").arg(name),
                                        PasswordPrompt::Purpose::New, &problem);
        if (password.isEmpty()) {
            err << tr("support-console: %1").arg(problem) << Qt::endl;
            return 1;
        }
    }

    int exitCode = 0;
    try {
        database.migrate();
        UserAccounts users(database);
        const Actor actor = commandLineActor();
        UserAccounts::Outcome outcome;
        if (action == QLatin1String("list"))
            exitCode = list(users, out);
        else if (action == QLatin1String("add"))
            outcome = users.add(name, *role, password, actor);
        else if (action == QLatin1String("disable"))
            outcome = users.disable(name, actor);
        else if (action == QLatin1String("enable"))
            outcome = users.enable(name, actor);
        else if (action == QLatin1String("passwd"))
            outcome = users.setPassword(name, password, actor);
        if (!outcome.ok()) {
            err << tr("support-console: %1").arg(outcome.problem) << Qt::endl;
            exitCode = 1;
        } else if (action == QLatin1String("add")) {
            out << tr("Added %1 as %2.").arg(name, roleName(*role)) << Qt::endl;
        } else if (action == QLatin1String("disable")) {
            out << tr("Disabled %1.").arg(name) << Qt::endl;
        } else if (action == QLatin1String("enable")) {
            out << tr("Enabled %1.").arg(name) << Qt::endl;
        } else if (action == QLatin1String("passwd")) {
            out << tr("Changed the password of %1.").arg(name) << Qt::endl;
        }
    } catch (const StorageError &error) {
        err << tr("support-console: %1").arg(error.message()) << Qt::endl;
        exitCode = 1;
    }
    database.closeThreadConnection();
    return exitCode;
}
