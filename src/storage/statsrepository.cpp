#include "statsrepository.h"

#include "autoresolverepository.h"
#include "database.h"
#include "readsnapshot.h"
#include "storageerror.h"
#include "timestamps.h"

#include <QMap>
#include <QSqlQuery>

#include <algorithm>

namespace {

// Open and in-progress tickets make the backlog; resolved and closed ones are done, and one
// waiting for the customer is theirs to answer.
constexpr QLatin1String kOpen("status IN ('open', 'in_progress')");

qint64 dayNumberOf(QDate date)
{
    return QDate(1970, 1, 1).daysTo(date);
}

} // namespace

StatsRepository::StatsRepository(const Database &database)
    : m_database(database)
    , m_dialect(database.dialect())
    , m_db(database.connection())
    , m_statements(m_db)
{}

TicketStats StatsRepository::stats(const QDateTime &now, int days)
{
    const qint64 nowMs = Timestamps::toMs(now);
    const QDate today = Timestamps::fromMs(nowMs).date();
    TicketStats stats = TicketStats::emptyWindow(today, std::clamp(days, 1, TicketStats::kMaxDays));
    const qint64 firstDay = dayNumberOf(stats.days.first().date);
    const qint64 lastDay = dayNumberOf(today);

    // One snapshot for every part, so that a ticket stored meanwhile is not in the daily counts
    // but missing from the backlog.
    const ReadSnapshot snapshot(m_database);
    // Read before the data: a commit in between makes the next call read again, never leaves an
    // older result standing for newer data.
    // Where the database offers no commit token, every call reads afresh.
    const std::optional<QString> token = m_dialect.commitToken(m_statements);
    if (token && m_last && m_last->commitToken == *token &&
        m_last->stats.days.size() == stats.days.size() && m_last->stats.days.last().date == today) {
        const qint64 lastMs = Timestamps::toMs(m_last->stats.backlog.asOf);
        if (nowMs >= lastMs && nowMs - lastMs < kReuseMs)
            return m_last->stats;
    }
    m_last.reset();
    addDailyCounts(stats, firstDay, lastDay);
    addCorrections(stats, firstDay * Timestamps::kMsPerDay, (lastDay + 1) * Timestamps::kMsPerDay);
    addConfidence(stats, firstDay, lastDay);
    addBacklog(stats, nowMs);
    const qint64 fromMs = firstDay * Timestamps::kMsPerDay;
    const qint64 untilMs = (lastDay + 1) * Timestamps::kMsPerDay;
    addSatisfaction(stats, fromMs, untilMs);
    addResponseTimes(stats, firstDay, lastDay);
    addDraftUse(stats, fromMs, untilMs);
    addAutoResolve(stats, fromMs, untilMs);
    if (token)
        m_last = LastStats{*token, stats};
    return stats;
}

void StatsRepository::addDailyCounts(TicketStats &stats, qint64 firstDay, qint64 lastDay)
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT day, category, SUM(n) FROM ticket_counts WHERE day BETWEEN ? AND ? "
                       "GROUP BY day, category"));
    query.bindValue(0, firstDay);
    query.bindValue(1, lastDay);
    StatementCache::exec(query, "read ticket statistics");
    while (query.next()) {
        const QString category = query.value(1).toString();
        stats.add(Timestamps::dateOfDay(query.value(0).toLongLong()),
                  category.isEmpty() ? std::nullopt : categoryFromName(category),
                  query.value(2).toLongLong());
    }
    query.finish();
}

void StatsRepository::addCorrections(TicketStats &stats, qint64 fromMs, qint64 untilMs)
{
    // Each verdict is held against the machine result it followed: the latest machine
    // classification of that ticket stored before it (by id, the order of storing; timestamps
    // can tie). A verdict on a ticket the machine never classified judges nothing and is left
    // out. The partial index finds the verdicts, classifications_ticket the result before each;
    // MATERIALIZED, because a flattened subquery would be run again for every use of "machine".
    // Verdicts from before actors had kinds were all people's.
    QSqlQuery &query = m_statements.prepared(QStringLiteral(
        "WITH verdicts AS MATERIALIZED ("
        "SELECT a.category AS agent, COALESCE(a.actor_kind, 'user') AS kind, a.model AS actor, "
        "(SELECT m.category FROM classifications m "
        "WHERE m.ticket_id = a.ticket_id AND m.provider <> 'agent' AND m.id < a.id "
        "ORDER BY m.id DESC LIMIT 1) AS machine "
        "FROM classifications a "
        "WHERE a.provider = 'agent' AND a.created_at >= ? AND a.created_at < ?) "
        "SELECT machine, agent, kind, actor, COUNT(*) FROM verdicts WHERE machine IS NOT NULL "
        "GROUP BY machine, agent, kind, actor ORDER BY kind DESC, actor"));
    query.bindValue(0, fromMs);
    query.bindValue(1, untilMs);
    StatementCache::exec(query, "read the agents' corrections");
    while (query.next()) {
        const std::optional<Category> machine = categoryFromName(query.value(0).toString());
        const std::optional<Category> agent = categoryFromName(query.value(1).toString());
        if (!machine || !agent)
            continue;
        const Actor actor{actorKindFromName(query.value(2).toString()).value_or(Actor::Kind::User),
                          query.value(3).toString()};
        const qint64 count = query.value(4).toLongLong();
        const bool corrected = *machine != *agent;
        if (actor.kind == Actor::Kind::User) {
            TicketStats::Corrections &corrections =
                stats.corrections[static_cast<std::size_t>(*machine)];
            (corrected ? corrections.corrected : corrections.confirmed) += count;
        }
        // Rows come sorted by actor, so one actor's rows are neighbours.
        if (stats.correctionsByActor.isEmpty() || stats.correctionsByActor.last().actor != actor)
            stats.correctionsByActor.append({actor, {}});
        TicketStats::Corrections &byActor = stats.correctionsByActor.last().corrections;
        (corrected ? byActor.corrected : byActor.confirmed) += count;
    }
    query.finish();
}

void StatsRepository::addConfidence(TicketStats &stats, qint64 firstDay, qint64 lastDay)
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT category, bucket, SUM(n) FROM confidence_counts "
                       "WHERE day BETWEEN ? AND ? GROUP BY category, bucket"));
    query.bindValue(0, firstDay);
    query.bindValue(1, lastDay);
    StatementCache::exec(query, "read the confidence histogram");
    while (query.next()) {
        const std::optional<Category> category = categoryFromName(query.value(0).toString());
        const qint64 bucket = query.value(1).toLongLong();
        if (!category || bucket < 0 || bucket >= TicketStats::kConfidenceBuckets)
            continue;
        stats.confidence[static_cast<std::size_t>(*category)][std::size_t(bucket)] =
            query.value(2).toLongLong();
    }
    query.finish();
}

void StatsRepository::addBacklog(TicketStats &stats, qint64 nowMs)
{
    stats.backlog.asOf = Timestamps::fromMs(nowMs);

    // Open tickets per creation day from the triggers' counts: a few hundred rows, however many
    // tickets there are.
    QMap<qint64, qint64> openPerDay;
    QSqlQuery &perDay =
        m_statements.prepared(QStringLiteral("SELECT day, SUM(n) FROM ticket_counts WHERE ") +
                              kOpen + QStringLiteral(" GROUP BY day"));
    StatementCache::exec(perDay, "count open tickets per day");
    qint64 open = 0;
    while (perDay.next()) {
        const qint64 count = perDay.value(1).toLongLong();
        openPerDay.insert(perDay.value(0).toLongLong(), count);
        open += count;
    }
    perDay.finish();

    // An age bucket's edge rarely falls on midnight: whole days come from the counts above and
    // only the edge's own day is counted in tickets_status_created, from its nearer end (today
    // ends now, as far as tickets go), so each edge reads at most half a day of index entries.
    auto openCreatedBefore = [&](qint64 edgeMs) {
        const qint64 day = Timestamps::dayNumber(edgeMs);
        const qint64 dayStart = day * Timestamps::kMsPerDay;
        const qint64 filledUntil = std::min(dayStart + Timestamps::kMsPerDay, nowMs);
        qint64 beforeDay = 0;
        for (auto it = openPerDay.cbegin(); it != openPerDay.cend() && it.key() < day; ++it)
            beforeDay += it.value();
        if (edgeMs - dayStart <= filledUntil - edgeMs)
            return beforeDay + openCreatedBetween(dayStart, edgeMs);
        return beforeDay + openPerDay.value(day) -
               openCreatedBetween(edgeMs, dayStart + Timestamps::kMsPerDay);
    };

    // Older than a limit means created at or before now - limit, i.e. before now - limit + 1.
    std::array<qint64, TicketStats::kBacklogAgeLimitsMs.size()> olderThan{};
    for (std::size_t i = 0; i < olderThan.size(); ++i)
        olderThan[i] = openCreatedBefore(nowMs - TicketStats::kBacklogAgeLimitsMs[i] + 1);
    stats.backlog.byAge[0] = open - olderThan[0];
    for (std::size_t i = 1; i < olderThan.size(); ++i)
        stats.backlog.byAge[i] = olderThan[i - 1] - olderThan[i];
    stats.backlog.byAge[olderThan.size()] = olderThan.back();

    // One MIN per status, so each reads the first entry of its part of the index.
    QSqlQuery &oldest = m_statements.prepared(QStringLiteral(
        "SELECT MIN(first) FROM ("
        "SELECT MIN(created_at) AS first FROM tickets WHERE status = 'open' UNION ALL "
        "SELECT MIN(created_at) FROM tickets WHERE status = 'in_progress') oldest"));
    StatementCache::exec(oldest, "find the oldest open ticket");
    if (oldest.next() && !oldest.isNull(0))
        stats.backlog.oldestAgeSeconds =
            std::max<qint64>(0, (nowMs - oldest.value(0).toLongLong()) / 1000);
    oldest.finish();
}

void StatsRepository::addSatisfaction(TicketStats &stats, qint64 fromMs, qint64 untilMs)
{
    // Ratings are one per answered ticket at most, far fewer than tickets: the window's are read
    // through their index. A reply counts as drafted when any public one began as a draft.
    QSqlQuery &query = m_statements.prepared(QStringLiteral(
        "SELECT f.rated_at / 86400000, t.category, "
        "CASE WHEN EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = f.ticket_id "
        "AND m.draft_provider IS NOT NULL AND m.visibility = 'public') THEN 1 ELSE 0 END, "
        "COUNT(*), SUM(f.rating), SUM(f.resolved) "
        "FROM ticket_feedback f JOIN tickets t ON t.id = f.ticket_id "
        "WHERE f.rated_at >= ? AND f.rated_at < ? GROUP BY 1, 2, 3"));
    query.bindValue(0, fromMs);
    query.bindValue(1, untilMs);
    StatementCache::exec(query, "read the customers' ratings");
    while (query.next()) {
        const QString category = query.value(1).toString();
        const TicketStats::Satisfaction ratings{
            query.value(3).toLongLong(), query.value(4).toLongLong(), query.value(5).toLongLong()};
        stats.addRatings(Timestamps::dateOfDay(query.value(0).toLongLong()),
                         category.isEmpty() ? std::nullopt : categoryFromName(category),
                         query.value(2).toInt() == 1, ratings);
    }
    query.finish();
}

void StatsRepository::addResponseTimes(TicketStats &stats, qint64 firstDay, qint64 lastDay)
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT measure, bucket, SUM(n), SUM(seconds) FROM response_counts "
                       "WHERE day BETWEEN ? AND ? GROUP BY measure, bucket"));
    query.bindValue(0, firstDay);
    query.bindValue(1, lastDay);
    StatementCache::exec(query, "read the response times");
    while (query.next()) {
        TicketStats::ResponseTimes &times =
            query.value(0).toString() == u"resolution" ? stats.resolution : stats.firstReply;
        const qint64 bucket = query.value(1).toLongLong();
        if (bucket < 0 || bucket >= qint64(times.byAge.size()))
            continue;
        times.byAge[std::size_t(bucket)] += query.value(2).toLongLong();
        times.totalSeconds += query.value(3).toLongLong();
    }
    query.finish();
}

void StatsRepository::addDraftUse(TicketStats &stats, qint64 fromMs, qint64 untilMs)
{
    QSqlQuery &offered = m_statements.prepared(
        QStringLiteral("SELECT provider, COUNT(*) FROM draft_offers "
                       "WHERE offered_at >= ? AND offered_at < ? GROUP BY provider"));
    offered.bindValue(0, fromMs);
    offered.bindValue(1, untilMs);
    StatementCache::exec(offered, "count the drafts offered");
    while (offered.next())
        stats.draftUse(offered.value(0).toString()).offered = offered.value(1).toLongLong();
    offered.finish();

    QSqlQuery &sent = m_statements.prepared(
        QStringLiteral("SELECT draft_provider, COUNT(*), SUM(draft_edits) FROM ticket_messages "
                       "WHERE draft_provider IS NOT NULL AND draft_provider <> ? "
                       "AND visibility = 'public' AND created_at >= ? AND created_at < ? "
                       "GROUP BY draft_provider"));
    // Auto-resolve's replies were offered to nobody; its own figures are its reopen rate.
    sent.bindValue(0, QString(AutoResolveRepository::kProvider));
    sent.bindValue(1, fromMs);
    sent.bindValue(2, untilMs);
    StatementCache::exec(sent, "count the drafts sent");
    while (sent.next()) {
        TicketStats::DraftUse &use = stats.draftUse(sent.value(0).toString());
        use.sent = sent.value(1).toLongLong();
        use.edits = sent.value(2).toLongLong();
    }
    sent.finish();
    std::sort(stats.drafts.begin(), stats.drafts.end(),
              [](const TicketStats::DraftUse &a, const TicketStats::DraftUse &b) {
                  return a.provider < b.provider;
              });
}

void StatsRepository::addAutoResolve(TicketStats &stats, qint64 fromMs, qint64 untilMs)
{
    const auto counts = [&stats](const QString &name) -> TicketStats::AutoResolution * {
        const std::optional<Category> category = categoryFromName(name);
        return category ? &stats.autoResolve[static_cast<std::size_t>(*category)] : nullptr;
    };
    QSqlQuery &rules =
        m_statements.prepared(QStringLiteral("SELECT category, threshold FROM auto_resolve_rules"));
    StatementCache::exec(rules, "read the auto-resolve rules");
    while (rules.next()) {
        if (TicketStats::AutoResolution *category = counts(rules.value(0).toString()))
            category->threshold = rules.value(1).toDouble();
    }
    rules.finish();

    QSqlQuery &resolved = m_statements.prepared(
        QStringLiteral("SELECT category, COUNT(*), COUNT(reopened_at) FROM auto_resolutions "
                       "WHERE resolved_at >= ? AND resolved_at < ? GROUP BY category"));
    resolved.bindValue(0, fromMs);
    resolved.bindValue(1, untilMs);
    StatementCache::exec(resolved, "count the auto-resolved tickets");
    while (resolved.next()) {
        if (TicketStats::AutoResolution *category = counts(resolved.value(0).toString())) {
            category->resolved = resolved.value(1).toLongLong();
            category->reopened = resolved.value(2).toLongLong();
        }
    }
    resolved.finish();
}

qint64 StatsRepository::openCreatedBetween(qint64 fromMs, qint64 untilMs)
{
    QSqlQuery &query =
        m_statements.prepared(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE ") + kOpen +
                              QStringLiteral(" AND created_at >= ? AND created_at < ?"));
    query.bindValue(0, fromMs);
    query.bindValue(1, untilMs);
    StatementCache::exec(query, "count open tickets");
    const qint64 count = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return count;
}
