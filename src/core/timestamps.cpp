#include "timestamps.h"


namespace Timestamps {

QDateTime fromMs(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC);
}

qint64 toMs(const QDateTime &dateTime)
{
    return dateTime.toMSecsSinceEpoch();
}

QString toIso(const QDateTime &dateTime)
{
    return dateTime.toUTC().toString(Qt::ISODateWithMs);
}

qint64 dayNumber(qint64 msSinceEpoch)
{
    return msSinceEpoch / kMsPerDay;
}

QDate dateOfDay(qint64 dayNumber)
{
    return QDate(1970, 1, 1).addDays(dayNumber);
}

} // namespace Timestamps
