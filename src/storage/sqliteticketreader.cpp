#include "sqliteticketreader.h"

#include "sqlrow.h"
#include "storageerror.h"

#include <QSqlDriver>

#include <sqlite3.h>

namespace {

class StatementColumns final
{
public:
    explicit StatementColumns(sqlite3_stmt *statement)
        : m_statement(statement)
    {}

    bool isNull(int column) const
    {
        return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
    }
    QString text(int column) const
    {
        const auto *utf8 = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
        return QString::fromUtf8(utf8, sqlite3_column_bytes(m_statement, column));
    }
    qint64 integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    double real(int column) const { return sqlite3_column_double(m_statement, column); }

private:
    sqlite3_stmt *m_statement;
};

} // namespace

std::unique_ptr<SqliteTicketReader> SqliteTicketReader::create(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    if (!connection)
        return nullptr;

    const QByteArray sql = (SqlRow::selectTickets() + QStringLiteral("WHERE t.id = ?")).toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(connection, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
        throw StorageError(QStringLiteral("Could not prepare the ticket lookup: %1")
                               .arg(QString::fromUtf8(sqlite3_errmsg(connection))));
    }
    return std::unique_ptr<SqliteTicketReader>(new SqliteTicketReader(statement));
}

SqliteTicketReader::SqliteTicketReader(sqlite3_stmt *statement)
    : m_statement(statement)
{}

SqliteTicketReader::~SqliteTicketReader()
{
    sqlite3_finalize(m_statement);
}

std::optional<Ticket> SqliteTicketReader::find(qint64 id)
{
    sqlite3_bind_int64(m_statement, 1, id);
    const int status = sqlite3_step(m_statement);
    std::optional<Ticket> ticket;
    if (status == SQLITE_ROW)
        ticket = SqlRow::ticket(StatementColumns(m_statement));
    // Resetting ends the statement's read transaction, so checkpoints are never held back.
    sqlite3_reset(m_statement);
    if (status != SQLITE_ROW && status != SQLITE_DONE) {
        throw StorageError(
            QStringLiteral("Could not read the ticket: %1")
                .arg(QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_statement)))));
    }
    return ticket;
}
