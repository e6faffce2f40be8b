#pragma once

#include "category.h"
#include "fielderror.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

// Tickets per category per UTC day over a window of past days, including empty days.
struct TicketStats
{
    static constexpr int kDefaultDays = 7;
    static constexpr int kMaxDays = 90;

    struct Day
    {
        QDate date;
        std::array<qint64, kAllCategories.size()> perCategory{};
        qint64 unclassified = 0;

        qint64 total() const;
    };

    QList<Day> days;

    // Zero-filled days from (today - days + 1) to today, ready for counts to be added.
    static TicketStats emptyWindow(QDate today, int days);
    void add(QDate date, std::optional<Category> category, qint64 count);
    static Validated<int> daysFromUrlQuery(const QUrlQuery &query);

    QJsonObject toJson() const;
};
