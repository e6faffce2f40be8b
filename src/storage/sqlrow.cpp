#include "sqlrow.h"

const QString &SqlRow::selectTickets()
{
    static const QString sql = QStringLiteral(
        "SELECT t.id, t.subject, t.body, t.form, t.source, t.status, t.category, t.created_at, "
        "t.updated_at, t.needs_review, d.queue, d.priority, d.language, d.answer, "
        "c.id, c.category, c.confidence, c.priority, c.summary, c.provider, c.model, "
        "c.model_version, c.fallback, c.attempts, c.needs_review, c.processing_ms, c.created_at, "
        "j.state, j.attempts, j.last_error, j.next_attempt_at, t.version, t.assignee, "
        "t.requester, t.thread_ref "
        "FROM tickets t "
        "LEFT JOIN imported_tickets d ON d.ticket_id = t.id "
        "LEFT JOIN classification_jobs j ON j.ticket_id = t.id "
        "LEFT JOIN classifications c ON c.id = t.classification_id ");
    return sql;
}

const QString &SqlRow::selectClassifications()
{
    static const QString sql = QStringLiteral(
        "SELECT id, category, confidence, priority, summary, provider, model, model_version, "
        "fallback, attempts, needs_review, processing_ms, created_at FROM classifications ");
    return sql;
}
