#pragma once

#include "classification.h"

#include <QSqlQuery>

// Reads the value types that several queries select in the same column order.
class SqlRow final
{
public:
    // Columns firstColumn.. : id, category, confidence, summary, model, processing_ms, created_at.
    static Classification classification(const QSqlQuery &row, int firstColumn, qint64 ticketId);
};
