#include "sqlrow.h"

const QString &SqlRow::selectTickets()
{
    static const QString sql = QStringLiteral(
        "SELECT t.id, t.subject, t.body, t.form, t.source, t.status, t.category, t.created_at, "
        "t.updated_at, d.queue, d.priority, d.language, d.answer, c.id, c.category, c.confidence, "
        "c.summary, c.model, c.processing_ms, c.created_at "
        "FROM tickets t "
        "LEFT JOIN imported_tickets d ON d.ticket_id = t.id "
        "LEFT JOIN classifications c ON c.id = "
        "(SELECT MAX(id) FROM classifications WHERE ticket_id = t.id) ");
    return sql;
}
