#include "windowsignin.h"

#include "actor.h"
#include "database.h"
#include "passwordprompt.h"
#include "signindialog.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "useraccounts.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("WindowSignIn", text);
}

std::variant<UserAccount, int> refuse(const QString &reason)
{
    QTextStream(stderr) << tr("support-console: %1").arg(reason) << Qt::endl;
    return 1;
}

} // namespace

std::variant<UserAccount, int> WindowSignIn::run(const CommandLine &commandLine,
                                                 TicketService &tickets)
{
    const Database &database = tickets.database();
    const bool shared = database.config().driver != QLatin1String("QSQLITE");
    try {
        if (!commandLine.signInUser.isEmpty()) {
            const QString &name = commandLine.signInUser;
            QString problem;
            const QString password = PasswordPrompt::read(
                tr("Password for %1: ").arg(name), PasswordPrompt::Purpose::Current, &problem);
            if (password.isEmpty())
                return refuse(problem);
            // Here, on the thread that will be the GUI's, before any window exists or the event
            // loop runs: the tenth of a second the check takes holds nothing up. The dialog,
            // which has a window to keep responsive, checks on a storage thread.
            std::optional<UserAccount> account = UserAccounts(database).signIn(name, password);
            if (!account) {
                return refuse(tr("sign-in refused for %1: the user name or the password is not "
                                 "right, or the account is disabled.")
                                  .arg(name));
            }
            return *account;
        }
        if (!shared) {
            const QString owner = Actor::desktopUser().name;
            std::optional<UserAccount> account = UserAccounts(database).desktopOwner(owner);
            if (!account) {
                return refuse(tr("the user %1, who owns this console, is disabled; whoever may "
                                 "change this database can enable it with: support-console "
                                 "users enable %1")
                                  .arg(owner));
            }
            return *account;
        }
    } catch (const StorageError &error) {
        return refuse(error.message());
    }

    SignInDialog dialog(tickets);
    if (dialog.exec() != QDialog::Accepted || !dialog.account())
        return 0;
    return *dialog.account();
}
