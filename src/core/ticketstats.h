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
// the age of today's open backlog, how satisfied customers were, how soon the team answered
// and resolved, and how often AI drafts were sent.
struct TicketStats
{
    static constexpr int kDefaultDays = 7;
    static constexpr int kMaxDays = 90;
    static constexpr std::size_t kCategoryCount = kAllCategories.size();

    // Customers' ratings (their current one per ticket) given within the window.
    struct Satisfaction
    {
        qint64 ratings = 0;
        qint64 ratingSum = 0;
        // Ratings that said the issue was resolved.
        qint64 resolved = 0;

        Satisfaction &operator+=(const Satisfaction &other);
        // None without a single rating rather than a misleading 0.
        std::optional<double> averageRating() const;
        std::optional<double> resolvedRate() const;
    };

    struct Day
    {
        QDate date;
        std::array<qint64, kCategoryCount> perCategory{};
        qint64 unclassified = 0;
        // Ratings given on this day, whenever their ticket came.
        Satisfaction satisfaction;

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

    // How long after their tickets came the team first answered in public, or first resolved
    // or closed them, counted on the day that happened, in the backlog's age buckets.
    struct ResponseTimes
    {
        std::array<qint64, kAllBacklogAges.size()> byAge{};
        qint64 totalSeconds = 0;

        qint64 count() const;
        std::optional<qint64> averageSeconds() const;
    };

    // One AI provider's drafts: how many were put in front of someone within the window, and how
    // many replies sent within it began as one.
    struct DraftUse
    {
        QString provider;
        qint64 offered = 0;
        qint64 sent = 0;
        // Characters changed before sending, summed over the sent ones.
        qint64 edits = 0;

        // sent / offered, at most 1: a draft offered just before the window may be sent in it.
        std::optional<double> acceptanceRate() const;
        std::optional<double> averageEdits() const;
    };

    // What auto-resolve did for one category within the window: the tickets it answered and
    // resolved, and how many of those their customer reopened by writing again.
    struct AutoResolution
    {
        // The category's current rule; none while auto-resolve is off for it.
        std::optional<double> threshold;
        qint64 resolved = 0;
        qint64 reopened = 0;

        AutoResolution &operator+=(const AutoResolution &other);
        // reopened / resolved; none before the first auto-resolve rather than a misleading 0.
        std::optional<double> reopenRate() const;
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
    // Ratings given within the window, by their ticket's category (unclassified ones only in the
    // days' and the overall figures), and by whether a public reply on the ticket began as an
    // AI draft.
    std::array<Satisfaction, kCategoryCount> satisfaction{};
    Satisfaction satisfactionWithAiDraft;
    Satisfaction satisfactionWithoutAiDraft;
    ResponseTimes firstReply;
    ResponseTimes resolution;
    // By provider name; replies sent by auto-resolve are in autoResolve instead.
    QList<DraftUse> drafts;
    std::array<AutoResolution, kCategoryCount> autoResolve{};

    // Zero-filled days from (today - days + 1) to today, ready for counts to be added.
    static TicketStats emptyWindow(QDate today, int days);
    void add(QDate date, std::optional<Category> category, qint64 count);
    // Ratings given on date for tickets of category.
    void addRatings(QDate date, std::optional<Category> category, bool aiDrafted,
                    const Satisfaction &ratings);
    // The draft use of provider, added when it is not there yet.
    DraftUse &draftUse(const QString &provider);
    static Validated<int> daysFromUrlQuery(const QUrlQuery &query);

    std::array<qint64, kCategoryCount> totalsPerCategory() const;
    qint64 unclassifiedTotal() const;
    qint64 total() const;
    Corrections allCorrections() const;
    Satisfaction allSatisfaction() const;
    AutoResolution allAutoResolve() const;
    // Auto-resolved tickets over the tickets created within the window (of the category, or
    // all), at most 1: one created just before the window may be resolved in it.
    std::optional<double> autoResolveRate(std::optional<Category> category = {}) const;

    QJsonObject toJson() const;
};
