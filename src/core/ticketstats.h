#pragma once

#include "actor.h"
#include "category.h"
#include "fielderror.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

#include <array>
#include <optional>

// What a manager reads about the tickets of a window of past UTC days: counts per category per
// day (empty days included), how often agents corrected the machine, how sure the machine was,
// and the age of today's open backlog.
struct TicketStats
{
    static constexpr int kDefaultDays = 7;
    static constexpr int kMaxDays = 90;
    static constexpr std::size_t kCategoryCount = kAllCategories.size();

    struct Day
    {
        QDate date;
        std::array<qint64, kCategoryCount> perCategory{};
        qint64 unclassified = 0;

        qint64 total() const;
    };

    // Agent verdicts on machine classifications, counted under the machine's category.
    struct Corrections
    {
        qint64 corrected = 0;
        qint64 confirmed = 0;

        qint64 reviewed() const { return corrected + confirmed; }
        // corrected / reviewed; none without a single verdict rather than a misleading 0.
        std::optional<double> rate() const;
    };

    // Confidence in tenths: bucket i holds [i/10, (i+1)/10), the last one also 1.0.
    static constexpr int kConfidenceBuckets = 10;
    using ConfidenceHistogram = std::array<qint64, kConfidenceBuckets>;
    static int confidenceBucket(double confidence);

    enum class BacklogAge { UnderHour, UnderDay, UnderWeek, OverWeek };
    static constexpr std::array<BacklogAge, 4> kAllBacklogAges{
        BacklogAge::UnderHour, BacklogAge::UnderDay, BacklogAge::UnderWeek, BacklogAge::OverWeek};
    // The age at which each bucket ends (exclusive); OverWeek has no end.
    static constexpr qint64 kHourMs = 60 * 60 * 1000;
    static constexpr std::array<qint64, 3> kBacklogAgeLimitsMs{kHourMs, 24 * kHourMs,
                                                               7 * 24 * kHourMs};
    static BacklogAge backlogAge(qint64 ageMs);

    // Open and in-progress tickets, whatever their creation day, aged at asOf.
    struct Backlog
    {
        QDateTime asOf;
        std::array<qint64, kAllBacklogAges.size()> byAge{};
        std::optional<qint64> oldestAgeSeconds;

        qint64 total() const;
    };

    // The verdicts one person or integration gave within the window.
    struct ActorCorrections
    {
        Actor actor;
        Corrections corrections;
    };

    QList<Day> days;
    // People's verdicts given within the window, by the machine category they judged.
    std::array<Corrections, kCategoryCount> corrections{};
    // Verdicts within the window by who gave them: people, then integrations (which the
    // per-category counts leave out), each by name.
    QList<ActorCorrections> correctionsByActor;
    // Tickets created within the window, by their latest machine classification's category.
    std::array<ConfidenceHistogram, kCategoryCount> confidence{};
    Backlog backlog;

    // Zero-filled days from (today - days + 1) to today, ready for counts to be added.
    static TicketStats emptyWindow(QDate today, int days);
    void add(QDate date, std::optional<Category> category, qint64 count);
    static Validated<int> daysFromUrlQuery(const QUrlQuery &query);

    std::array<qint64, kCategoryCount> totalsPerCategory() const;
    qint64 unclassifiedTotal() const;
    qint64 total() const;
    Corrections allCorrections() const;

    QJsonObject toJson() const;
};
