#pragma once

#include "ticketreader.h"

#include <QSqlDatabase>

#include <memory>
#include <optional>

struct sqlite3_stmt;

// Reads one ticket by id through SQLite's own API, on the connection QtSql opened. On every
// exec QtSql's SQLite driver re-reads the statement's column metadata and boxes each value in a
// QVariant; for GET /requests/{id} that was most of the request. Other drivers keep QtSql.
class SqliteTicketReader final : public TicketReader
{
public:
    // Null unless the connection is SQLite.
    static std::unique_ptr<SqliteTicketReader> create(const QSqlDatabase &db);
    ~SqliteTicketReader() override;
    Q_DISABLE_COPY_MOVE(SqliteTicketReader)

    // Throws StorageError.
    std::optional<Ticket> find(qint64 id) override;

private:
    explicit SqliteTicketReader(sqlite3_stmt *statement);

    sqlite3_stmt *m_statement;
};
