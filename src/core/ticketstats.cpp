#include "ticketstats.h"

#include "jsonkeys.h"
#include "timestamps.h"
#include "urlqueryreader.h"

#include <QJsonArray>

#include <algorithm>
#include <numeric>

qint64 TicketStats::Day::total() const
{
    qint64 sum = unclassified;
    for (qint64 count : perCategory)
        sum += count;
    return sum;
}

TicketStats::Satisfaction &TicketStats::Satisfaction::operator+=(const Satisfaction &other)
{
    ratings += other.ratings;
    ratingSum += other.ratingSum;
    resolved += other.resolved;
    return *this;
}

std::optional<double> TicketStats::Satisfaction::averageRating() const
{
    if (ratings == 0)
        return std::nullopt;
    return double(ratingSum) / double(ratings);
}

std::optional<double> TicketStats::Satisfaction::resolvedRate() const
{
    if (ratings == 0)
        return std::nullopt;
    return double(resolved) / double(ratings);
}

qint64 TicketStats::ResponseTimes::count() const
{
    return std::accumulate(byAge.cbegin(), byAge.cend(), qint64(0));
}

std::optional<qint64> TicketStats::ResponseTimes::averageSeconds() const
{
    const qint64 n = count();
    if (n == 0)
        return std::nullopt;
    return totalSeconds / n;
}

std::optional<double> TicketStats::DraftUse::acceptanceRate() const
{
    if (offered == 0)
        return std::nullopt;
    return std::min(1.0, double(sent) / double(offered));
}

std::optional<double> TicketStats::DraftUse::averageEdits() const
{
    if (sent == 0)
        return std::nullopt;
    return double(edits) / double(sent);
}

TicketStats::AutoResolution &TicketStats::AutoResolution::operator+=(const AutoResolution &other)
{
    resolved += other.resolved;
    reopened += other.reopened;
    return *this;
}

std::optional<double> TicketStats::AutoResolution::reopenRate() const
{
    if (resolved == 0)
        return std::nullopt;
    return double(reopened) / double(resolved);
}

std::optional<double> TicketStats::Corrections::rate() const
{
    if (reviewed() == 0)
        return std::nullopt;
    return double(corrected) / double(reviewed());
}

// The same arithmetic as the storage layer's SQL (CAST(confidence * 10 AS INTEGER)), so a value
// lands in the same bucket in both: 0.3 * 10 rounds to 3.0 in binary, not 2.999...
int TicketStats::confidenceBucket(double confidence)
{
    return std::clamp(int(confidence * kConfidenceBuckets), 0, kConfidenceBuckets - 1);
}

TicketStats::BacklogAge TicketStats::backlogAge(qint64 ageMs)
{
    for (std::size_t i = 0; i < kBacklogAgeLimitsMs.size(); ++i) {
        if (ageMs < kBacklogAgeLimitsMs[i])
            return kAllBacklogAges[i];
    }
    return BacklogAge::OverWeek;
}

qint64 TicketStats::Backlog::total() const
{
    return std::accumulate(byAge.cbegin(), byAge.cend(), qint64(0));
}

TicketStats TicketStats::emptyWindow(QDate today, int dayCount)
{
    TicketStats stats;
    stats.days.reserve(dayCount);
    for (int offset = dayCount - 1; offset >= 0; --offset)
        stats.days.append(Day{today.addDays(-offset), {}, 0, {}});
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

void TicketStats::addRatings(QDate date, std::optional<Category> category, bool aiDrafted,
                             const Satisfaction &ratings)
{
    if (days.isEmpty())
        return;
    const qint64 index = days.first().date.daysTo(date);
    if (index < 0 || index >= days.size())
        return;
    days[index].satisfaction += ratings;
    if (category)
        satisfaction[static_cast<std::size_t>(*category)] += ratings;
    (aiDrafted ? satisfactionWithAiDraft : satisfactionWithoutAiDraft) += ratings;
}

TicketStats::DraftUse &TicketStats::draftUse(const QString &provider)
{
    const auto found = std::find_if(drafts.begin(), drafts.end(),
                                    [&](const DraftUse &use) { return use.provider == provider; });
    if (found != drafts.end())
        return *found;
    drafts.append(DraftUse{provider});
    return drafts.last();
}

Validated<int> TicketStats::daysFromUrlQuery(const QUrlQuery &query)
{
    UrlQueryReader reader(query, {QStringLiteral("days")});
    const int days = reader.integer(QStringLiteral("days"), 1, kMaxDays).value_or(kDefaultDays);
    return {days, reader.errors()};
}

std::array<qint64, TicketStats::kCategoryCount> TicketStats::totalsPerCategory() const
{
    std::array<qint64, kCategoryCount> totals{};
    for (const Day &day : days) {
        for (std::size_t i = 0; i < totals.size(); ++i)
            totals[i] += day.perCategory[i];
    }
    return totals;
}

qint64 TicketStats::unclassifiedTotal() const
{
    qint64 sum = 0;
    for (const Day &day : days)
        sum += day.unclassified;
    return sum;
}

qint64 TicketStats::total() const
{
    const std::array<qint64, kCategoryCount> totals = totalsPerCategory();
    return std::accumulate(totals.cbegin(), totals.cend(), unclassifiedTotal());
}

TicketStats::Corrections TicketStats::allCorrections() const
{
    Corrections sum;
    for (const Corrections &category : corrections) {
        sum.corrected += category.corrected;
        sum.confirmed += category.confirmed;
    }
    return sum;
}

TicketStats::Satisfaction TicketStats::allSatisfaction() const
{
    Satisfaction sum = satisfactionWithAiDraft;
    sum += satisfactionWithoutAiDraft;
    return sum;
}

TicketStats::AutoResolution TicketStats::allAutoResolve() const
{
    AutoResolution sum;
    for (const AutoResolution &category : autoResolve)
        sum += category;
    return sum;
}

std::optional<double> TicketStats::autoResolveRate(std::optional<Category> category) const
{
    const qint64 created =
        category ? totalsPerCategory()[static_cast<std::size_t>(*category)] : total();
    const qint64 resolved = category ? autoResolve[static_cast<std::size_t>(*category)].resolved
                                     : allAutoResolve().resolved;
    if (created == 0)
        return std::nullopt;
    return std::min(1.0, double(resolved) / double(created));
}

namespace {

QJsonValue optionalJson(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

QJsonObject satisfactionToJson(const TicketStats::Satisfaction &satisfaction)
{
    return {
        {JsonKey::ratings, satisfaction.ratings},
        {JsonKey::averageRating, optionalJson(satisfaction.averageRating())},
        {JsonKey::resolvedRate, optionalJson(satisfaction.resolvedRate())},
    };
}

QJsonObject countsToJson(const std::array<qint64, kAllCategories.size()> &perCategory)
{
    QJsonObject counts;
    for (Category category : kAllCategories)
        counts.insert(categoryName(category), perCategory[static_cast<std::size_t>(category)]);
    return counts;
}

QJsonObject correctionsToJson(const TicketStats::Corrections &corrections)
{
    return {
        {JsonKey::corrected, corrections.corrected},
        {JsonKey::confirmed, corrections.confirmed},
        {JsonKey::rate, optionalJson(corrections.rate())},
    };
}

QLatin1String backlogAgeKey(TicketStats::BacklogAge age)
{
    switch (age) {
    case TicketStats::BacklogAge::UnderHour:
        return JsonKey::underHour;
    case TicketStats::BacklogAge::UnderDay:
        return JsonKey::hourToDay;
    case TicketStats::BacklogAge::UnderWeek:
        return JsonKey::dayToWeek;
    case TicketStats::BacklogAge::OverWeek:
        return JsonKey::overWeek;
    }
    return JsonKey::overWeek;
}

QJsonObject byAgeToJson(const std::array<qint64, TicketStats::kAllBacklogAges.size()> &byAge)
{
    QJsonObject json;
    for (std::size_t i = 0; i < TicketStats::kAllBacklogAges.size(); ++i)
        json.insert(backlogAgeKey(TicketStats::kAllBacklogAges[i]), byAge[i]);
    return json;
}

QJsonObject responseTimesToJson(const TicketStats::ResponseTimes &times)
{
    const std::optional<qint64> average = times.averageSeconds();
    return {
        {JsonKey::count, times.count()},
        {JsonKey::averageSeconds, average ? QJsonValue(*average) : QJsonValue()},
        {JsonKey::byAge, byAgeToJson(times.byAge)},
    };
}

} // namespace

QJsonObject TicketStats::toJson() const
{
    QJsonArray perDay;
    for (const Day &day : days) {
        QJsonObject entry = countsToJson(day.perCategory);
        entry.insert(JsonKey::date, day.date.toString(Qt::ISODate));
        entry.insert(JsonKey::unclassified, day.unclassified);
        entry.insert(JsonKey::total, day.total());
        entry.insert(JsonKey::satisfaction, satisfactionToJson(day.satisfaction));
        perDay.append(entry);
    }

    QJsonObject correctionsByCategory;
    QJsonObject confidenceByCategory;
    for (Category category : kAllCategories) {
        const auto index = static_cast<std::size_t>(category);
        correctionsByCategory.insert(categoryName(category), correctionsToJson(corrections[index]));
        QJsonArray histogram;
        for (qint64 count : confidence[index])
            histogram.append(count);
        confidenceByCategory.insert(categoryName(category), histogram);
    }
    QJsonObject correctionsJson = correctionsToJson(allCorrections());
    correctionsJson.insert(JsonKey::byCategory, correctionsByCategory);
    QJsonArray correctionsByActorJson;
    for (const ActorCorrections &entry : correctionsByActor) {
        QJsonObject actorJson = correctionsToJson(entry.corrections);
        actorJson.insert(JsonKey::actor,
                         QJsonObject{{JsonKey::kind, actorKindName(entry.actor.kind)},
                                     {JsonKey::name, entry.actor.name}});
        correctionsByActorJson.append(actorJson);
    }
    correctionsJson.insert(JsonKey::byActor, correctionsByActorJson);

    QJsonObject satisfactionByCategory;
    for (Category category : kAllCategories) {
        satisfactionByCategory.insert(
            categoryName(category),
            satisfactionToJson(satisfaction[static_cast<std::size_t>(category)]));
    }
    QJsonObject satisfactionJson = satisfactionToJson(allSatisfaction());
    satisfactionJson.insert(JsonKey::byCategory, satisfactionByCategory);
    satisfactionJson.insert(JsonKey::withAiDraft, satisfactionToJson(satisfactionWithAiDraft));
    satisfactionJson.insert(JsonKey::withoutAiDraft,
                            satisfactionToJson(satisfactionWithoutAiDraft));

    QJsonArray draftsJson;
    for (const DraftUse &use : drafts) {
        draftsJson.append(QJsonObject{
            {JsonKey::provider, use.provider},
            {JsonKey::offered, use.offered},
            {JsonKey::sent, use.sent},
            {JsonKey::acceptanceRate, optionalJson(use.acceptanceRate())},
            {JsonKey::averageEdits, optionalJson(use.averageEdits())},
        });
    }

    const auto autoResolveJson = [this](const AutoResolution &counts,
                                        std::optional<Category> category) {
        return QJsonObject{
            {JsonKey::resolved, counts.resolved},
            {JsonKey::reopened, counts.reopened},
            {JsonKey::rate, optionalJson(autoResolveRate(category))},
            {JsonKey::reopenRate, optionalJson(counts.reopenRate())},
        };
    };
    QJsonObject autoResolveByCategory;
    for (Category category : kAllCategories) {
        const AutoResolution &counts = autoResolve[static_cast<std::size_t>(category)];
        QJsonObject entry = autoResolveJson(counts, category);
        entry.insert(JsonKey::threshold, optionalJson(counts.threshold));
        autoResolveByCategory.insert(categoryName(category), entry);
    }
    QJsonObject autoResolveTotals = autoResolveJson(allAutoResolve(), std::nullopt);
    autoResolveTotals.insert(JsonKey::byCategory, autoResolveByCategory);

    return {
        {JsonKey::days, days.size()},
        {JsonKey::from, days.isEmpty() ? QString() : days.first().date.toString(Qt::ISODate)},
        {JsonKey::to, days.isEmpty() ? QString() : days.last().date.toString(Qt::ISODate)},
        {JsonKey::total, total()},
        {JsonKey::byCategory, countsToJson(totalsPerCategory())},
        {JsonKey::unclassified, unclassifiedTotal()},
        {JsonKey::perDay, perDay},
        {JsonKey::corrections, correctionsJson},
        {JsonKey::confidence,
         QJsonObject{
             {JsonKey::bucketWidth, 1.0 / kConfidenceBuckets},
             {JsonKey::byCategory, confidenceByCategory},
         }},
        {JsonKey::backlog,
         QJsonObject{
             {JsonKey::asOf, backlog.asOf.isValid() ? Timestamps::toIso(backlog.asOf) : QString()},
             {JsonKey::total, backlog.total()},
             {JsonKey::byAge, byAgeToJson(backlog.byAge)},
             {JsonKey::oldestAgeSeconds,
              backlog.oldestAgeSeconds ? QJsonValue(*backlog.oldestAgeSeconds) : QJsonValue()},
         }},
        {JsonKey::satisfaction, satisfactionJson},
        {JsonKey::firstReply, responseTimesToJson(firstReply)},
        {JsonKey::resolution, responseTimesToJson(resolution)},
        {JsonKey::drafts, draftsJson},
        {JsonKey::autoResolve, autoResolveTotals},
    };
}
