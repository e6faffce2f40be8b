#pragma once

#include "actor.h"
#include "useraccount.h"
#include "userrepository.h"

#include <QCoreApplication>

class Database;

// Adding, changing and signing in users, with the rules a person choosing a name or password
// meets. Works on the calling thread's connection: make one per thread, never on the GUI
// thread, since hashing a password takes a tenth of a second. Throws StorageError.
class UserAccounts final
{
    Q_DECLARE_TR_FUNCTIONS(UserAccounts)

public:
    explicit UserAccounts(const Database &database);

    // An empty problem means done; otherwise what to tell the person, in their words.
    struct Outcome
    {
        QString problem;
        bool ok() const { return problem.isEmpty(); }
    };

    Outcome add(const QString &name, Role role, const QString &password, const Actor &actor);
    Outcome disable(const QString &name, const Actor &actor);
    Outcome enable(const QString &name, const Actor &actor);
    Outcome setPassword(const QString &name, const QString &password, const Actor &actor);
    QList<UserAccount> list();
    std::optional<UserAccount> find(const QString &name);

    // The enabled account with this name and password. An unknown name costs as long as a
    // wrong password, so that timing does not tell which names exist.
    std::optional<UserAccount> signIn(const QString &name, const QString &password);
    // The operating-system account that owns a one-person console: made an admin without a
    // password the first time. Empty when that account was disabled.
    std::optional<UserAccount> desktopOwner(const QString &accountName);

private:
    UserRepository m_users;
};
