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
    // For optional text columns, where empty means not known.
    static QVariant textOrNull(const QString &value)
    {
        return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
    }

    // An optional instant: NULL is an invalid QDateTime, both ways.
    static QDateTime timeOrInvalid(const QSqlQuery &query, int column)
    {
        return query.isNull(column) ? QDateTime()
                                    : Timestamps::fromMs(query.value(column).toLongLong());
    }
    static QVariant msOrNull(const QDateTime &time)
    {
        return time.isValid() ? QVariant(Timestamps::toMs(time))
                              : QVariant(QMetaType::fromType<qlonglong>());
    }

    // The select list that ticket() reads; append WHERE/ORDER BY.
    static const QString &selectTickets();

    // The select list that classification() reads from column 0; append WHERE/ORDER BY.
    static const QString &selectClassifications();

    template<typename Columns> static Ticket ticket(const Columns &row);

    // Columns firstColumn.. in the order of selectClassifications().
    template<typename Columns>
    static Classification classification(const Columns &row, int firstColumn, qint64 ticketId);

private:
    static constexpr int kClassificationColumns = 13;
    static constexpr int kJobColumns = 4;
    template<typename Columns> static ClassificationJob job(const Columns &row, int firstColumn);
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
    ticket.needsReview = row.integer(9) != 0;
    if (!row.isNull(10))
        ticket.dataset = DatasetInfo{row.text(10), row.text(11), row.text(12), row.text(13)};
    constexpr int kClassification = 14;
    if (!row.isNull(kClassification))
        ticket.classification = classification(row, kClassification, ticket.id);
    constexpr int kJob = kClassification + kClassificationColumns;
    if (!row.isNull(kJob))
        ticket.job = job(row, kJob);
    constexpr int kVersion = kJob + kJobColumns;
    ticket.version = row.integer(kVersion);
    if (!row.isNull(kVersion + 1))
        ticket.assignee = row.text(kVersion + 1);
    if (!row.isNull(kVersion + 2))
        ticket.requester = row.text(kVersion + 2);
    if (!row.isNull(kVersion + 3))
        ticket.threadRef = row.text(kVersion + 3);
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
    classification.priority =
        priorityFromName(row.text(firstColumn + 3)).value_or(Priority::Medium);
    classification.summary = row.text(firstColumn + 4);
    classification.provider = classificationProviderFromName(row.text(firstColumn + 5))
                                  .value_or(ClassificationProvider::Rules);
    classification.model = row.text(firstColumn + 6);
    classification.modelVersion = row.text(firstColumn + 7);
    classification.fallback = row.integer(firstColumn + 8) != 0;
    classification.attempts = int(row.integer(firstColumn + 9));
    classification.needsReview = row.integer(firstColumn + 10) != 0;
    classification.processingMs = row.integer(firstColumn + 11);
    classification.createdAt = Timestamps::fromMs(row.integer(firstColumn + 12));
    return classification;
}

template<typename Columns> ClassificationJob SqlRow::job(const Columns &row, int firstColumn)
{
    ClassificationJob job;
    job.state = row.text(firstColumn) == QLatin1String("failed") ? ClassificationState::Failed
                                                                 : ClassificationState::Pending;
    job.attempts = int(row.integer(firstColumn + 1));
    job.lastError = row.text(firstColumn + 2);
    if (!row.isNull(firstColumn + 3))
        job.nextAttemptAt = Timestamps::fromMs(row.integer(firstColumn + 3));
    return job;
}
