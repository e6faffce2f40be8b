#pragma once

#include <QDateTime>
#include <QString>

// Storage keeps instants as UTC milliseconds since the epoch (portable and index friendly);
// JSON shows them as ISO 8601 with a Z.
namespace Timestamps {
constexpr qint64 kMsPerDay = 24 * 60 * 60 * 1000;

QDateTime fromMs(qint64 msSinceEpoch);
qint64 toMs(const QDateTime &dateTime);
QString toIso(const QDateTime &dateTime);
qint64 dayNumber(qint64 msSinceEpoch);
QDate dateOfDay(qint64 dayNumber);
} // namespace Timestamps
