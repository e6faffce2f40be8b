#pragma once

#include "ticket.h"

#include <optional>

// A faster way than QtSql to read one ticket by id, where a dialect has one
// (SqlDialect::createTicketReader()).
class TicketReader
{
public:
    virtual ~TicketReader() = default;
    Q_DISABLE_COPY_MOVE(TicketReader)

    // Throws StorageError.
    virtual std::optional<Ticket> find(qint64 id) = 0;

protected:
    TicketReader() = default;
};
