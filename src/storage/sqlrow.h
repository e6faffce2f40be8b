#pragma once

#include "classification.h"

#include <QSqlQuery>

// Converts values between QtSql and the domain where several queries need the same rules.
class SqlRow final
{
public:
    // QtSql binds a null QString as SQL NULL; an empty text is a value, not a missing one.
    static QString text(const QString &value) { return value.isNull() ? QStringLiteral("") : value; }

    // Columns firstColumn.. : id, category, confidence, summary, model, processing_ms, created_at.
    static Classification classification(const QSqlQuery &row, int firstColumn, qint64 ticketId);
};
