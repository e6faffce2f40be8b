#pragma once

#include "databaseconfig.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <optional>

// A fresh, empty database on the test PostgreSQL server, for several nodes to share as a team
// does; dropped when this object goes, with whatever connections are still open to it.
// Unlike TemporaryDatabase it is not migrated: the programs under test do that.
class TeamDatabase final
{
public:
    TeamDatabase();
    ~TeamDatabase();
    Q_DISABLE_COPY_MOVE(TeamDatabase)

    bool isValid() const { return !m_name.isEmpty(); }
    // Why there is no database.
    QString errorString() const { return m_error; }
    QString name() const { return m_name; }
    // What --database takes: a libpq URI over the server's Unix socket.
    QString uri() const;
    // What Database takes, for components built inside the test process.
    DatabaseConfig config() const;

    // An integration token with every scope, made in the (migrated) database as `tokens create`
    // does; the secret to send.
    QByteArray createToken(const QString &name = QStringLiteral("tests"));

    // The test's own connection for checks, opened on first use; not the programs'.
    QSqlDatabase connection();
    // The first column of the first row, or nothing when the query failed (*error says why)
    // or returned no row.
    std::optional<QVariant> scalar(const QString &sql, QString *error = nullptr);
    // Every row's first column.
    QVariantList column(const QString &sql, QString *error = nullptr);
    // Runs a statement; false with *error set when it failed.
    bool execute(const QString &sql, QString *error = nullptr);

private:
    QString m_name;
    QString m_error;
    QString m_connectionName;
};
