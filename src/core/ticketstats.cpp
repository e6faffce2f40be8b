#include "ticketstats.h"

#include "jsonkeys.h"
#include "urlqueryreader.h"

#include <QJsonArray>

qint64 TicketStats::Day::total() const
{
    qint64 sum = unclassified;
    for (qint64 count : perCategory)
        sum += count;
    return sum;
}

TicketStats TicketStats::emptyWindow(QDate today, int dayCount)
{
    TicketStats stats;
    stats.days.reserve(dayCount);
    for (int offset = dayCount - 1; offset >= 0; --offset)
        stats.days.append(Day{today.addDays(-offset), {}, 0});
    return stats;
}

void TicketStats::add(QDate date, std::optional<Category> category, qint64 count)
{
    if (days.isEmpty())
        return;
    const qint64 index = days.first().date.daysTo(date);
    if (index < 0 || index >= days.size())
        return;
    Day &day = days[index];
    if (category)
        day.perCategory[static_cast<std::size_t>(*category)] += count;
    else
        day.unclassified += count;
}

Validated<int> TicketStats::daysFromUrlQuery(const QUrlQuery &query)
{
    UrlQueryReader reader(query, {QStringLiteral("days")});
    const int days = reader.integer(QStringLiteral("days"), 1, kMaxDays).value_or(kDefaultDays);
    return {days, reader.errors()};
}

static QJsonObject countsToJson(const std::array<qint64, kAllCategories.size()> &perCategory)
{
    QJsonObject counts;
    for (Category category : kAllCategories)
        counts.insert(categoryName(category), perCategory[static_cast<std::size_t>(category)]);
    return counts;
}

QJsonObject TicketStats::toJson() const
{
    std::array<qint64, kAllCategories.size()> totals{};
    qint64 unclassified = 0;
    QJsonArray perDay;
    for (const Day &day : days) {
        for (std::size_t i = 0; i < totals.size(); ++i)
            totals[i] += day.perCategory[i];
        unclassified += day.unclassified;
        QJsonObject entry = countsToJson(day.perCategory);
        entry.insert(JsonKey::date, day.date.toString(Qt::ISODate));
        entry.insert(JsonKey::unclassified, day.unclassified);
        entry.insert(JsonKey::total, day.total());
        perDay.append(entry);
    }
    qint64 total = unclassified;
    for (qint64 count : totals)
        total += count;

    return {
        {JsonKey::days, days.size()},
        {JsonKey::from, days.isEmpty() ? QString() : days.first().date.toString(Qt::ISODate)},
        {JsonKey::to, days.isEmpty() ? QString() : days.last().date.toString(Qt::ISODate)},
        {JsonKey::total, total},
        {JsonKey::byCategory, countsToJson(totals)},
        {JsonKey::unclassified, unclassified},
        {JsonKey::perDay, perDay},
    };
}
