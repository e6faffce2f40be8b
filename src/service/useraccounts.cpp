#include "useraccounts.h"

#include "credentialpolicy.h"
#include "passwordhasher.h"
#include "servicelogging.h"

UserAccounts::UserAccounts(const Database &database)
    : m_users(database)
{}

UserAccounts::Outcome UserAccounts::add(const QString &name, Role role, const QString &password,
                                        const Actor &actor)
{
    if (const QString problem = CredentialPolicy::nameProblem(name); !problem.isEmpty())
        return {problem};
    if (const QString problem = CredentialPolicy::passwordProblem(name, password);
        !problem.isEmpty())
        return {problem};
    if (m_users.find(name))
        return {tr("A user named %1 already exists.").arg(name)};
    UserAccount user;
    user.name = name;
    user.role = role;
    user.passwordHash = PasswordHasher::hash(password);
    if (user.passwordHash.isEmpty())
        return {tr("The password could not be hashed: not enough memory.")};
    user.createdBy = actor.displayName();
    // Someone may have taken the name since the check above.
    if (!m_users.add(user))
        return {tr("A user named %1 already exists.").arg(name)};
    qCInfo(lcService).noquote() << actor.displayName() << "added user" << name << "as"
                                << roleName(role);
    return {};
}

UserAccounts::Outcome UserAccounts::disable(const QString &name, const Actor &actor)
{
    if (!m_users.setDisabled(name, true))
        return {tr("There is no user named %1.").arg(name)};
    qCInfo(lcService).noquote() << actor.displayName() << "disabled user" << name;
    return {};
}

UserAccounts::Outcome UserAccounts::enable(const QString &name, const Actor &actor)
{
    if (!m_users.setDisabled(name, false))
        return {tr("There is no user named %1.").arg(name)};
    qCInfo(lcService).noquote() << actor.displayName() << "enabled user" << name;
    return {};
}

UserAccounts::Outcome UserAccounts::setPassword(const QString &name, const QString &password,
                                                const Actor &actor)
{
    if (!m_users.find(name))
        return {tr("There is no user named %1.").arg(name)};
    if (const QString problem = CredentialPolicy::passwordProblem(name, password);
        !problem.isEmpty())
        return {problem};
    const QByteArray hash = PasswordHasher::hash(password);
    if (hash.isEmpty())
        return {tr("The password could not be hashed: not enough memory.")};
    if (!m_users.setPasswordHash(name, hash))
        return {tr("There is no user named %1.").arg(name)};
    qCInfo(lcService).noquote() << actor.displayName() << "changed the password of" << name;
    return {};
}

QList<UserAccount> UserAccounts::list()
{
    return m_users.list();
}

std::optional<UserAccount> UserAccounts::find(const QString &name)
{
    return m_users.find(name);
}

std::optional<UserAccount> UserAccounts::signIn(const QString &name, const QString &password)
{
    const std::optional<UserAccount> user = m_users.find(name);
    if (!user || user->passwordHash.isEmpty()) {
        // Made once per process: a real hash, so the wasted verification costs what a real one
        // does.
        static const QByteArray decoy = PasswordHasher::hash(QStringLiteral("decoy password"));
        PasswordHasher::verify(decoy, password);
        qCInfo(lcService).noquote() << "Refused a sign-in for an unknown user";
        return std::nullopt;
    }
    if (!PasswordHasher::verify(user->passwordHash, password)) {
        qCInfo(lcService).noquote() << "Refused a sign-in with a wrong password for" << name;
        return std::nullopt;
    }
    if (user->disabled) {
        qCInfo(lcService).noquote() << "Refused a sign-in for disabled user" << name;
        return std::nullopt;
    }
    qCInfo(lcService).noquote() << name << "signed in";
    return user;
}

std::optional<UserAccount> UserAccounts::desktopOwner(const QString &accountName)
{
    if (std::optional<UserAccount> user = m_users.find(accountName))
        return user->disabled ? std::nullopt : user;
    UserAccount owner;
    owner.name = accountName;
    owner.role = Role::Admin;
    owner.createdBy = Actor::system(QStringLiteral("desktop")).displayName();
    // Another window of the same account may have made it meanwhile; either way it exists.
    if (m_users.add(owner))
        qCInfo(lcService).noquote() << "Made" << accountName << "the console's admin";
    std::optional<UserAccount> user = m_users.find(accountName);
    return user && !user->disabled ? user : std::nullopt;
}
