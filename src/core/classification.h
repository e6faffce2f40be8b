#pragma once

#include "category.h"

#include <QDateTime>
#include <QString>

// One classifier verdict on a ticket; a ticket keeps all of them as its history.
struct Classification
{
    qint64 id = 0;
    qint64 ticketId = 0;
    Category category = Category::General;
    double confidence = 0.0;
    QString summary;
    QString model;
    qint64 processingMs = 0;
    QDateTime createdAt;
};
