#pragma once

#include "classification.h"
#include "ticket.h"
#include "timestamps.h"

#include <QSqlQuery>
#include <QVariant>

// Column access over a QSqlQuery's current row, for SqlRow's readers.
class QueryColumns final
{
public:
    explicit QueryColumns(const QSqlQuery &query)
        : m_query(query)
    {}

    bool isNull(int column) const { return m_query.isNull(column); }
    QString text(int column) const { return m_query.value(column).toString(); }
    qint64 integer(int column) const { return m_query.value(column).toLongLong(); }
    double real(int column) const { return m_query.value(column).toDouble(); }

private:
    const QSqlQuery &m_query;
};

// Converts rows between SQL and the domain, wherever several queries share a column layout.
// Readers take any column source with isNull/text/integer/real, so the QtSql path and the
// SQLite fast path read the same layout with the same code.
class SqlRow final
{
public:
    // QtSql binds a null QString as SQL NULL; an empty text is a value, not a missing one.
    static QString text(const QString &value)
    {
        return value.isNull() ? QStringLiteral("") : value;
    }

    // The select list that ticket() reads; append WHERE/ORDER BY.
    static const QString &selectTickets();

    template<typename Columns> static Ticket ticket(const Columns &row);

    // Columns firstColumn.. : id, category, confidence, summary, model, processing_ms, created_at.
    template<typename Columns>
    static Classification classification(const Columns &row, int firstColumn, qint64 ticketId);
};

template<typename Columns> Ticket SqlRow::ticket(const Columns &row)
{
    Ticket ticket;
    ticket.id = row.integer(0);
    ticket.subject = row.text(1);
    ticket.body = row.text(2);
    ticket.form = ticketFormFromName(row.text(3)).value_or(TicketForm::Text);
    ticket.source = ticketSourceFromName(row.text(4)).value_or(TicketSource::Api);
    ticket.status = ticketStatusFromName(row.text(5)).value_or(TicketStatus::Open);
    if (!row.isNull(6))
        ticket.category = categoryFromName(row.text(6));
    ticket.createdAt = Timestamps::fromMs(row.integer(7));
    ticket.updatedAt = Timestamps::fromMs(row.integer(8));
    if (!row.isNull(9))
        ticket.dataset = DatasetInfo{row.text(9), row.text(10), row.text(11), row.text(12)};
    if (!row.isNull(13))
        ticket.classification = classification(row, 13, ticket.id);
    return ticket;
}

template<typename Columns>
Classification SqlRow::classification(const Columns &row, int firstColumn, qint64 ticketId)
{
    Classification classification;
    classification.id = row.integer(firstColumn);
    classification.ticketId = ticketId;
    classification.category =
        categoryFromName(row.text(firstColumn + 1)).value_or(Category::General);
    classification.confidence = row.real(firstColumn + 2);
    classification.summary = row.text(firstColumn + 3);
    classification.model = row.text(firstColumn + 4);
    classification.processingMs = row.integer(firstColumn + 5);
    classification.createdAt = Timestamps::fromMs(row.integer(firstColumn + 6));
    return classification;
}
