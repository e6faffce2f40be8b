#pragma once

#include "statementcache.h"
#include "ticket.h"
#include "ticketdraft.h"
#include "ticketquery.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>
#include <optional>

// Stores and finds tickets through one thread's connection. Throws StorageError on failures
// the caller cannot fix; "not found" and idempotency conflicts are ordinary results.
class Database;
class SqliteTicketReader;

class TicketRepository final
{
public:
    explicit TicketRepository(const Database &database);
    ~TicketRepository();
    Q_DISABLE_COPY_MOVE(TicketRepository)

    struct IdempotentCreate
    {
        enum class Outcome { Created, Replayed, KeyReusedWithOtherRequest };
        Outcome outcome = Outcome::Created;
        std::optional<Ticket> ticket;
    };

    Ticket create(const TicketDraft &draft);
    // The same key with the same request hash returns the first ticket instead of a new one.
    IdempotentCreate create(const TicketDraft &draft, const QString &idempotencyKey,
                            const QByteArray &requestHash);
    // For imports, inside the importer's Transaction: false when this content is already stored.
    bool createImported(const TicketDraft &draft, const QByteArray &importKey);

    std::optional<Ticket> find(qint64 id);
    TicketPage list(const TicketQuery &query);
    qint64 count();

private:
    QSqlQuery &prepared(const QString &sql);
    Ticket insert(const TicketDraft &draft);
    qint64 countMatching(const TicketQuery &query);

    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
    std::unique_ptr<SqliteTicketReader> m_sqliteReader;
};
