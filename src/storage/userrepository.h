#pragma once

#include "useraccount.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// The team's user list. Names are unique; users are disabled, never deleted, so that every name
// in a ticket's history keeps meaning someone. Throws StorageError.
class UserRepository final
{
public:
    explicit UserRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(UserRepository)

    // False when the name is taken. Fills in the id.
    bool add(UserAccount &user);
    std::optional<UserAccount> find(const QString &name);
    // By name.
    QList<UserAccount> list();
    // Each returns false for an unknown name.
    bool setDisabled(const QString &name, bool disabled);
    bool setPasswordHash(const QString &name, const QByteArray &passwordHash);
    bool setRole(const QString &name, Role role);

private:
    const Database &m_database;
    QSqlDatabase m_db;
};
