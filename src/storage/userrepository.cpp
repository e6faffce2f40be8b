#include "userrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "statementcache.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kColumns =
    u"SELECT id, name, role, password_hash, disabled, created_by, created_at FROM users"_s;

UserAccount account(const QSqlQuery &query)
{
    UserAccount user;
    user.id = query.value(0).toLongLong();
    user.name = query.value(1).toString();
    user.role = roleFromName(query.value(2).toString()).value_or(Role::Agent);
    user.passwordHash = query.value(3).toString().toLatin1();
    user.disabled = query.value(4).toInt() != 0;
    user.createdBy = query.value(5).toString();
    user.createdAt = Timestamps::fromMs(query.value(6).toLongLong());
    return user;
}

} // namespace

UserRepository::UserRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
{}

bool UserRepository::add(UserAccount &user)
{
    QSqlQuery query(m_db);
    query.prepare(u"INSERT INTO users (name, role, password_hash, disabled, created_by, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (name) DO NOTHING"_s);
    const qint64 now = user.createdAt.isValid() ? Timestamps::toMs(user.createdAt)
                                                : QDateTime::currentMSecsSinceEpoch();
    query.addBindValue(user.name);
    query.addBindValue(QString(roleName(user.role)));
    query.addBindValue(user.passwordHash.isEmpty()
                           ? QVariant(QMetaType::fromType<QString>())
                           : QVariant(QString::fromLatin1(user.passwordHash)));
    query.addBindValue(user.disabled ? 1 : 0);
    query.addBindValue(SqlRow::text(user.createdBy));
    query.addBindValue(now);
    query.addBindValue(now);
    Transaction transaction(m_database);
    StatementCache::exec(query, "add the user");
    const bool added = query.numRowsAffected() == 1;
    query.finish();
    transaction.commit();
    if (!added)
        return false;
    if (const std::optional<UserAccount> stored = find(user.name))
        user = *stored;
    return true;
}

std::optional<UserAccount> UserRepository::find(const QString &name)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" WHERE name = ?"_s);
    query.addBindValue(name);
    StatementCache::exec(query, "look up the user");
    if (!query.next())
        return std::nullopt;
    return account(query);
}

QList<UserAccount> UserRepository::list()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" ORDER BY name"_s);
    StatementCache::exec(query, "list the users");
    QList<UserAccount> users;
    while (query.next())
        users.append(account(query));
    return users;
}

namespace {

bool updateOne(const Database &database, QSqlDatabase &db, const QString &assignment,
               const QVariant &value, const QString &name, const char *what)
{
    QSqlQuery query(db);
    query.prepare(u"UPDATE users SET "_s + assignment + u", updated_at = ? WHERE name = ?"_s);
    query.addBindValue(value);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(name);
    Transaction transaction(database);
    StatementCache::exec(query, what);
    const bool found = query.numRowsAffected() == 1;
    query.finish();
    transaction.commit();
    return found;
}

} // namespace

bool UserRepository::setDisabled(const QString &name, bool disabled)
{
    return updateOne(m_database, m_db, u"disabled = ?"_s, disabled ? 1 : 0, name,
                     "disable the user");
}

bool UserRepository::setPasswordHash(const QString &name, const QByteArray &passwordHash)
{
    return updateOne(m_database, m_db, u"password_hash = ?"_s, QString::fromLatin1(passwordHash),
                     name, "change the password");
}

bool UserRepository::setRole(const QString &name, Role role)
{
    return updateOne(m_database, m_db, u"role = ?"_s, QString(roleName(role)), name,
                     "change the role");
}
