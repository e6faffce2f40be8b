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
    // QDateTime::toString goes through printf-style formatting; this runs for every timestamp
    // of every ticket the API sends, so it writes the fixed-width digits itself.
    const qint64 ms = dateTime.toMSecsSinceEpoch();
    const qint64 day = ms >= 0 ? ms / kMsPerDay : (ms - kMsPerDay + 1) / kMsPerDay;
    const qint64 msOfDay = ms - day * kMsPerDay;
    int year = 0;
    int month = 0;
    int dayOfMonth = 0;
    dateOfDay(day).getDate(&year, &month, &dayOfMonth);
    if (year < 0 || year > 9999)
        return dateTime.toUTC().toString(Qt::ISODateWithMs);

    char text[24];
    auto put = [&text](int position, qint64 value, int width) {
        for (int i = position + width - 1; i >= position; --i, value /= 10)
            text[i] = char('0' + value % 10);
    };
    put(0, year, 4);
    text[4] = '-';
    put(5, month, 2);
    text[7] = '-';
    put(8, dayOfMonth, 2);
    text[10] = 'T';
    put(11, msOfDay / 3600000, 2);
    text[13] = ':';
    put(14, msOfDay / 60000 % 60, 2);
    text[16] = ':';
    put(17, msOfDay / 1000 % 60, 2);
    text[19] = '.';
    put(20, msOfDay % 1000, 3);
    text[23] = 'Z';
    return QString::fromLatin1(text, sizeof text);
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
