#include "classificationrepository.h"
#include "database.h"
#include "feedbackrepository.h"
#include "messagerepository.h"
#include "migrator.h"
#include "statementcache.h"
#include "statsrepository.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "timestamps.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = Timestamps::kMsPerDay;

// A fixed afternoon, so that day edges and ages do not depend on when the test runs.
const QDateTime kNow(QDate(2024, 5, 20), QTime(15, 30), Qt::UTC);

std::size_t index(Category category)
{
    return static_cast<std::size_t>(category);
}

} // namespace

class TestStatsRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void dailyCountsFillEmptyDays();
    void windowEndsOnNowsUtcDay();
    void correctionsJudgeTheMachineResultBefore();
    void correctionsPerActor();
    void confidenceBucketsMatchTheDomain_data();
    void confidenceBucketsMatchTheDomain();
    void confidenceFollowsLatestMachineResult();
    void backlogBucketsByAge_data();
    void backlogBucketsByAge();
    void statsAreReusedOnlyWhileNothingIsWritten();
    void emptyDatabaseHasNothingToReport();
    void upgradeCountsExistingClassifications();
    void statsAgreeWithJson();

    void satisfactionPerDayCategoryAndDraft();
    void firstReplyIsTimedOncePerTicket();
    void resolutionIsTimedOncePerTicket();
    void draftAcceptancePerProvider();
    void upgradeTimesExistingRepliesAndResolutions();

private:
    qint64 addReply(qint64 ticketId, qint64 atMs, std::optional<DraftOrigin> draft = {},
                    MessageAuthor author = MessageAuthor::Agent, const QString &authorName = {});
    void rate(qint64 ticketId, int rating, bool resolved, qint64 atMs);
    void resolveAt(qint64 ticketId, TicketStatus status, qint64 atMs);
    qint64 addTicket(qint64 createdAtMs);
    qint64 classify(qint64 ticketId, Category category, ClassificationProvider provider,
                    double confidence = 0.9, qint64 createdAtMs = 0);
    void setStatus(qint64 ticketId, TicketStatus status);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<StatsRepository> m_stats;
};

void TestStatsRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
    m_stats = std::make_unique<StatsRepository>(m_temporary->database());
}

void TestStatsRepository::cleanup()
{
    m_stats.reset();
    m_tickets.reset();
    m_temporary.reset();
}

qint64 TestStatsRepository::addTicket(qint64 createdAtMs)
{
    TicketDraft draft = TicketDraft::fromText(u"My invoice is wrong"_s, TicketSource::Api);
    draft.createdAt = Timestamps::fromMs(createdAtMs);
    return m_tickets->create(draft).id;
}

qint64 TestStatsRepository::classify(qint64 ticketId, Category category,
                                     ClassificationProvider provider, double confidence,
                                     qint64 createdAtMs)
{
    Classification classification;
    classification.ticketId = ticketId;
    classification.category = category;
    classification.confidence = confidence;
    classification.provider = provider;
    classification.model = u"test"_s;
    classification.createdAt =
        Timestamps::fromMs(createdAtMs ? createdAtMs : Timestamps::toMs(kNow) - kMinute);
    return ClassificationRepository(m_temporary->database()).add(classification);
}

// Nothing in the program changes a status yet; the triggers keep the counts either way.
void TestStatsRepository::setStatus(qint64 ticketId, TicketStatus status)
{
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.prepare(u"UPDATE tickets SET status = ? WHERE id = ?"_s));
    query.addBindValue(QString(ticketStatusName(status)));
    query.addBindValue(ticketId);
    QVERIFY(query.exec());
    QCOMPARE(query.numRowsAffected(), 1);
}

qint64 TestStatsRepository::addReply(qint64 ticketId, qint64 atMs, std::optional<DraftOrigin> draft,
                                     MessageAuthor author, const QString &authorName)
{
    TicketMessage message;
    message.ticketId = ticketId;
    message.author = author;
    message.authorName =
        authorName.isEmpty() && author != MessageAuthor::Customer ? u"ada"_s : authorName;
    message.body = u"We have refunded you."_s;
    message.createdAt = Timestamps::fromMs(atMs);
    message.draft = std::move(draft);
    const Actor actor{author == MessageAuthor::Integration ? Actor::Kind::Integration
                                                           : Actor::Kind::User,
                      message.authorName};
    const auto added = MessageRepository(m_temporary->database()).add(message, actor);
    return added ? added->message.id : 0;
}

void TestStatsRepository::rate(qint64 ticketId, int rating, bool resolved, qint64 atMs)
{
    Feedback feedback;
    feedback.ticketId = ticketId;
    feedback.rating = rating;
    feedback.resolved = resolved;
    feedback.ratedBy = u"survey"_s;
    feedback.ratedAt = Timestamps::fromMs(atMs);
    QVERIFY(FeedbackRepository(m_temporary->database()).record(feedback));
}

// As every status writer does: the status and updated_at in one statement.
void TestStatsRepository::resolveAt(qint64 ticketId, TicketStatus status, qint64 atMs)
{
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.prepare(u"UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?"_s));
    query.addBindValue(QString(ticketStatusName(status)));
    query.addBindValue(atMs);
    query.addBindValue(ticketId);
    QVERIFY(query.exec());
    QCOMPARE(query.numRowsAffected(), 1);
}

void TestStatsRepository::dailyCountsFillEmptyDays()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const QDate today = kNow.date();
    classify(addTicket(nowMs), Category::Technical, ClassificationProvider::Rules);
    classify(addTicket(nowMs), Category::Technical, ClassificationProvider::Rules);
    classify(addTicket(nowMs - 2 * kDay), Category::Billing, ClassificationProvider::Rules);
    addTicket(nowMs - 2 * kDay);
    addTicket(nowMs - 10 * kDay); // before the window

    const TicketStats stats = m_stats->stats(kNow, 7);
    QCOMPARE(stats.days.size(), 7);
    QCOMPARE(stats.days.first().date, today.addDays(-6));
    QCOMPARE(stats.days.last().date, today);
    const TicketStats::Day &last = stats.days.last();
    QCOMPARE(last.perCategory[index(Category::Technical)], 2);
    QCOMPARE(last.total(), 2);
    const TicketStats::Day &twoDaysAgo = stats.days.at(4);
    QCOMPARE(twoDaysAgo.date, today.addDays(-2));
    QCOMPARE(twoDaysAgo.perCategory[index(Category::Billing)], 1);
    QCOMPARE(twoDaysAgo.unclassified, 1);
    QCOMPARE(stats.total(), 4);
    QCOMPARE(stats.days.at(0).total(), 0);
}

void TestStatsRepository::windowEndsOnNowsUtcDay()
{
    // 23:30 UTC on the 20th is already the 21st in Berlin: the window still ends on the 20th.
    const QDateTime lateUtc(QDate(2024, 5, 20), QTime(23, 30), Qt::UTC);
    const QDateTime sameInstantBerlin = lateUtc.toOffsetFromUtc(2 * 3600);
    QCOMPARE(sameInstantBerlin.date(), QDate(2024, 5, 21));
    addTicket(Timestamps::toMs(lateUtc) - kMinute);

    const TicketStats stats = m_stats->stats(sameInstantBerlin, 3);
    QCOMPARE(stats.days.last().date, QDate(2024, 5, 20));
    QCOMPARE(stats.days.last().unclassified, 1);
    QCOMPARE(stats.backlog.asOf, lateUtc);
}

// The statistics count corrections per person; an integration's verdicts are counted apart
// and left out of the people's figures.
void TestStatsRepository::correctionsPerActor()
{
    // Verdicts are stored with the real time: the window ends now.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 nowMs = Timestamps::toMs(now);
    ClassificationRepository classifications(m_temporary->database());
    const auto ticketClassified = [&](Category machine) {
        const qint64 id = addTicket(nowMs - kDay);
        classify(id, machine, ClassificationProvider::Rules, 0.9, nowMs - kDay);
        return id;
    };
    classifications.addVerdict({ticketClassified(Category::Billing)}, Category::Technical,
                               Actor::user(u"bob"_s));
    classifications.addVerdict(
        {ticketClassified(Category::Billing), ticketClassified(Category::General)},
        Category::Billing, Actor::user(u"alice"_s));
    classifications.addVerdict({ticketClassified(Category::Technical)}, Category::General,
                               Actor::integration(u"crm"_s));

    const TicketStats stats = m_stats->stats(now.addSecs(60), 7);
    QCOMPARE(stats.allCorrections().corrected, 2);
    QCOMPARE(stats.allCorrections().confirmed, 1);
    QCOMPARE(stats.corrections[index(Category::Technical)].reviewed(), 0);
    QCOMPARE(stats.correctionsByActor.size(), 3);
    QCOMPARE(stats.correctionsByActor.at(0).actor, Actor::user(u"alice"_s));
    QCOMPARE(stats.correctionsByActor.at(0).corrections.corrected, 1);
    QCOMPARE(stats.correctionsByActor.at(0).corrections.confirmed, 1);
    QCOMPARE(stats.correctionsByActor.at(1).actor, Actor::user(u"bob"_s));
    QCOMPARE(stats.correctionsByActor.at(1).corrections.corrected, 1);
    QCOMPARE(stats.correctionsByActor.at(2).actor, Actor::integration(u"crm"_s));
    QCOMPARE(stats.correctionsByActor.at(2).corrections.corrected, 1);
}

void TestStatsRepository::correctionsJudgeTheMachineResultBefore()
{
    using P = ClassificationProvider;
    const qint64 nowMs = Timestamps::toMs(kNow);

    // Corrected: the machine said billing, an agent technical.
    const qint64 corrected = addTicket(nowMs - kDay);
    classify(corrected, Category::Billing, P::Rules);
    classify(corrected, Category::Technical, P::Agent);

    // Confirmed: the agent agreed.
    const qint64 confirmed = addTicket(nowMs - kDay);
    classify(confirmed, Category::Technical, P::Learned);
    classify(confirmed, Category::Technical, P::Agent);

    // Only the latest machine result before the verdict counts: remote's billing, not general.
    const qint64 fallback = addTicket(nowMs - kDay);
    classify(fallback, Category::General, P::Learned);
    classify(fallback, Category::Billing, P::Remote);
    classify(fallback, Category::Billing, P::Agent);

    // A machine result after the verdict does not change what the verdict judged.
    const qint64 later = addTicket(nowMs - kDay);
    classify(later, Category::Technical, P::Rules);
    classify(later, Category::General, P::Agent);
    classify(later, Category::Billing, P::Remote);

    // Two verdicts on one ticket are two judgements of the same machine result.
    const qint64 twice = addTicket(nowMs - kDay);
    classify(twice, Category::General, P::Rules);
    classify(twice, Category::Billing, P::Agent);
    classify(twice, Category::General, P::Agent);

    // Not counted: a verdict with no machine result before it, and one given before the window
    // (on a ticket created inside it: verdicts count by when they were given).
    const qint64 agentOnly = addTicket(nowMs - kDay);
    classify(agentOnly, Category::Billing, P::Agent);
    const qint64 oldVerdict = addTicket(nowMs - kDay);
    classify(oldVerdict, Category::General, P::Rules, 0.9, nowMs - 10 * kDay);
    classify(oldVerdict, Category::Billing, P::Agent, 1.0, nowMs - 10 * kDay);

    const TicketStats stats = m_stats->stats(kNow, 7);
    const TicketStats::Corrections &technical = stats.corrections[index(Category::Technical)];
    const TicketStats::Corrections &billing = stats.corrections[index(Category::Billing)];
    const TicketStats::Corrections &general = stats.corrections[index(Category::General)];
    QCOMPARE(technical.corrected, 1); // "later"
    QCOMPARE(technical.confirmed, 1); // "confirmed"
    QCOMPARE(billing.corrected, 1);   // "corrected"
    QCOMPARE(billing.confirmed, 1);   // "fallback"
    QCOMPARE(general.corrected, 1);   // "twice", first verdict
    QCOMPARE(general.confirmed, 1);   // "twice", second verdict
    QCOMPARE(technical.rate(), std::optional<double>(0.5));
    QCOMPARE(stats.allCorrections().reviewed(), 6);

    // One day back, the old verdict falls inside the window.
    const TicketStats wider = m_stats->stats(kNow, 30);
    QCOMPARE(wider.corrections[index(Category::General)].corrected, 2);
}

void TestStatsRepository::confidenceBucketsMatchTheDomain_data()
{
    QTest::addColumn<double>("confidence");
    QTest::addColumn<int>("bucket");

    QTest::newRow("0") << 0.0 << 0;
    QTest::newRow("0.05") << 0.05 << 0;
    QTest::newRow("0.1") << 0.1 << 1;
    QTest::newRow("0.3") << 0.3 << 3;
    QTest::newRow("0.6") << 0.6 << 6;
    QTest::newRow("0.7") << 0.7 << 7;
    QTest::newRow("0.8999") << 0.8999 << 8;
    QTest::newRow("0.9") << 0.9 << 9;
    QTest::newRow("0.9999") << 0.9999 << 9;
    QTest::newRow("1") << 1.0 << 9;
}

void TestStatsRepository::confidenceBucketsMatchTheDomain()
{
    QFETCH(double, confidence);
    QFETCH(int, bucket);

    QCOMPARE(TicketStats::confidenceBucket(confidence), bucket);
    classify(addTicket(Timestamps::toMs(kNow) - kHour), Category::General,
             ClassificationProvider::Learned, confidence);
    const TicketStats stats = m_stats->stats(kNow, 1);
    TicketStats::ConfidenceHistogram expected{};
    expected[std::size_t(bucket)] = 1;
    QCOMPARE(stats.confidence[index(Category::General)], expected);
}

void TestStatsRepository::confidenceFollowsLatestMachineResult()
{
    using P = ClassificationProvider;
    const qint64 nowMs = Timestamps::toMs(kNow);

    // A later machine result replaces the earlier one, also in another category.
    const qint64 reclassified = addTicket(nowMs - kDay);
    classify(reclassified, Category::Billing, P::Rules, 0.35);
    classify(reclassified, Category::Technical, P::Remote, 0.82);
    // An agent's verdict moves nothing: the histogram describes the machine.
    const qint64 judged = addTicket(nowMs - 2 * kDay);
    classify(judged, Category::Billing, P::Learned, 0.55);
    classify(judged, Category::General, P::Agent, 1.0);
    // Only an agent's verdict: no machine confidence to show.
    classify(addTicket(nowMs - kDay), Category::General, P::Agent, 1.0);
    // Tickets count by their creation day, not the result's: this one was created before the
    // window although classified today.
    classify(addTicket(nowMs - 8 * kDay), Category::Billing, P::Rules, 0.15, nowMs - kMinute);
    // A deleted ticket leaves the histogram.
    const qint64 deleted = addTicket(nowMs - kDay);
    classify(deleted, Category::Technical, P::Rules, 0.95);
    QSqlQuery remove(m_temporary->database().connection());
    QVERIFY(remove.exec(u"DELETE FROM tickets WHERE id = %1"_s.arg(deleted)));

    const TicketStats stats = m_stats->stats(kNow, 7);
    TicketStats::ConfidenceHistogram technical{};
    technical[8] = 1;
    TicketStats::ConfidenceHistogram billing{};
    billing[5] = 1;
    QCOMPARE(stats.confidence[index(Category::Technical)], technical);
    QCOMPARE(stats.confidence[index(Category::Billing)], billing);
    QCOMPARE(stats.confidence[index(Category::General)], TicketStats::ConfidenceHistogram{});

    billing[1] = 1;
    QCOMPARE(m_stats->stats(kNow, 9).confidence[index(Category::Billing)], billing);
}

void TestStatsRepository::backlogBucketsByAge_data()
{
    // Each edge's own day is counted from its nearer end: times on both sides of noon take
    // both ways, and just after midnight the one-hour edge falls on the day before.
    QTest::addColumn<QDateTime>("now");
    QTest::newRow("00:10") << QDateTime(QDate(2024, 5, 20), QTime(0, 10), Qt::UTC);
    QTest::newRow("11:00") << QDateTime(QDate(2024, 5, 20), QTime(11, 0), Qt::UTC);
    QTest::newRow("15:30") << kNow;
    QTest::newRow("23:59:59.999") << QDateTime(QDate(2024, 5, 20), QTime(23, 59, 59, 999), Qt::UTC);
    QTest::newRow("midnight") << QDateTime(QDate(2024, 5, 20), QTime(0, 0), Qt::UTC);
}

void TestStatsRepository::backlogBucketsByAge()
{
    QFETCH(QDateTime, now);
    const qint64 nowMs = Timestamps::toMs(now);
    using Age = TicketStats::BacklogAge;

    const struct
    {
        qint64 ageMs;
        Age bucket;
    } open[] = {
        {-5 * kMinute, Age::UnderHour}, // clocks disagree: a ticket from the future is new
        {0, Age::UnderHour},
        {kHour - 1, Age::UnderHour},
        {kHour, Age::UnderDay},
        {23 * kHour, Age::UnderDay},
        {kDay - 1, Age::UnderDay},
        {kDay, Age::UnderWeek},
        {3 * kDay + 7 * kHour, Age::UnderWeek},
        {7 * kDay - 1, Age::UnderWeek},
        {7 * kDay, Age::OverWeek},
        {30 * kDay + 5 * kHour, Age::OverWeek},
    };
    std::array<qint64, TicketStats::kAllBacklogAges.size()> expected{};
    bool inProgress = false;
    for (const auto &ticket : open) {
        QCOMPARE(TicketStats::backlogAge(ticket.ageMs), ticket.bucket);
        ++expected[std::size_t(ticket.bucket)];
        const qint64 id = addTicket(nowMs - ticket.ageMs);
        // In progress is still open; alternate so both statuses are read.
        if ((inProgress = !inProgress))
            setStatus(id, TicketStatus::InProgress);
    }
    // Done tickets are no backlog, however old or new.
    for (const qint64 ageMs : {qint64(0), kHour, 3 * kDay, 40 * kDay}) {
        setStatus(addTicket(nowMs - ageMs), TicketStatus::Resolved);
        setStatus(addTicket(nowMs - ageMs), TicketStatus::Closed);
    }

    const TicketStats stats = m_stats->stats(now, 7);
    QCOMPARE(stats.backlog.byAge, expected);
    QCOMPARE(stats.backlog.total(), qint64(std::size(open)));
    QCOMPARE(stats.backlog.oldestAgeSeconds, std::optional<qint64>((30 * kDay + 5 * kHour) / 1000));
    QCOMPARE(stats.backlog.asOf, now);
}

void TestStatsRepository::statsAreReusedOnlyWhileNothingIsWritten()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    addTicket(nowMs - 2 * kHour);
    const TicketStats first = m_stats->stats(kNow, 7);
    QCOMPARE(first.backlog.asOf, kNow);
    QCOMPARE(first.backlog.total(), 1);

    // Nothing written, half a second later: the same reading, saying when it was taken.
    // PostgreSQL's token follows every transaction of the server, and the test server has other
    // tests' databases on it, so this is asserted over a stretch in which the token held still.
    StatementCache statements(m_temporary->database().connection());
    const SqlDialect &dialect = m_temporary->database().dialect();
    int quietStretches = 0;
    for (int attempt = 0; attempt < 100 && quietStretches == 0; ++attempt) {
        const QDateTime taken = kNow.addSecs(-10 * (attempt + 1));
        const std::optional<QString> before = dialect.commitToken(statements);
        m_stats->stats(taken, 7);
        const QDateTime asOf = m_stats->stats(taken.addMSecs(500), 7).backlog.asOf;
        if (dialect.commitToken(statements) != before)
            continue;
        QCOMPARE(asOf, taken);
        ++quietStretches;
    }
    QCOMPARE(quietStretches, 1);
    const QDateTime soon = kNow.addMSecs(500);
    QCOMPARE(m_stats->stats(soon, 7).days.last().total(), 1);
    // Another window is read afresh, and so is a reading a second old or one from the future.
    const TicketStats month = m_stats->stats(soon, 30);
    QCOMPARE(month.days.size(), 30);
    QCOMPARE(month.backlog.asOf, soon);
    const QDateTime later = kNow.addMSecs(StatsRepository::kReuseMs);
    QCOMPARE(m_stats->stats(later, 7).backlog.asOf, later);
    QCOMPARE(m_stats->stats(kNow, 7).backlog.asOf, kNow);

    // A write through this thread's connection is seen at once.
    addTicket(nowMs - 3 * kDay);
    TicketStats stats = m_stats->stats(soon, 7);
    QCOMPARE(stats.backlog.asOf, soon);
    QCOMPARE(stats.backlog.total(), 2);
    QCOMPARE(stats.backlog.byAge[std::size_t(TicketStats::BacklogAge::UnderWeek)], 1);

    // And so is one through another connection.
    Database other(m_temporary->database().config());
    {
        TicketRepository otherTickets(other);
        TicketDraft draft = TicketDraft::fromText(u"From another process"_s, TicketSource::Api);
        draft.createdAt = Timestamps::fromMs(nowMs - 30 * kDay);
        otherTickets.create(draft);
    }
    other.closeThreadConnection();
    const QDateTime sooner = kNow.addMSecs(600);
    stats = m_stats->stats(sooner, 7);
    QCOMPARE(stats.backlog.asOf, sooner);
    QCOMPARE(stats.backlog.total(), 3);
    QCOMPARE(stats.backlog.byAge[std::size_t(TicketStats::BacklogAge::OverWeek)], 1);
}

void TestStatsRepository::emptyDatabaseHasNothingToReport()
{
    const TicketStats stats = m_stats->stats(kNow, 90);
    QCOMPARE(stats.days.size(), 90);
    QCOMPARE(stats.total(), 0);
    QCOMPARE(stats.allCorrections().reviewed(), 0);
    QVERIFY(!stats.allCorrections().rate());
    for (const TicketStats::ConfidenceHistogram &histogram : stats.confidence)
        QCOMPARE(histogram, TicketStats::ConfidenceHistogram{});
    QCOMPARE(stats.backlog.total(), 0);
    QVERIFY(!stats.backlog.oldestAgeSeconds);

    // A closed ticket alone is no backlog either.
    setStatus(addTicket(Timestamps::toMs(kNow) - kDay), TicketStatus::Closed);
    QVERIFY(!m_stats->stats(kNow, 7).backlog.oldestAgeSeconds);
}

void TestStatsRepository::upgradeCountsExistingClassifications()
{
    // A database from before the statistics migration, holding classified tickets.
    QTemporaryDir scripts;
    QVERIFY(QDir(scripts.path()).mkpath(u"sqlite"_s));
    for (const QString &name : {u"0001_initial.sql"_s, u"0002_classification_pipeline.sql"_s})
        QVERIFY(QFile::copy(u":/sql/sqlite/"_s + name, scripts.filePath(u"sqlite/"_s + name)));
    QTemporaryDir dataDir;
    Database database(DatabaseConfig::sqlite(dataDir.filePath(u"old.db"_s)));
    Migrator old(database, scripts.path());
    old.migrate();
    QCOMPARE(old.currentVersion(), 2);

    const qint64 nowMs = Timestamps::toMs(kNow);
    {
        // Written as the old program wrote them: today's repository reads today's schema.
        const auto createTicket = [&database](qint64 createdAtMs) {
            QSqlQuery insert(database.connection());
            insert.prepare(u"INSERT INTO tickets (body, form, source, status, created_at, "
                           "updated_at) VALUES ('Where is my refund?', 'text', 'api', 'open', ?, "
                           "?)"_s);
            insert.addBindValue(createdAtMs);
            insert.addBindValue(createdAtMs);
            return insert.exec() ? insert.lastInsertId().toLongLong() : qint64(0);
        };
        ClassificationRepository classifications(database);
        auto add = [&](qint64 ticketId, Category category, ClassificationProvider provider,
                       double confidence) {
            Classification classification;
            classification.ticketId = ticketId;
            classification.category = category;
            classification.provider = provider;
            classification.confidence = confidence;
            classification.model = u"test"_s;
            classifications.add(classification);
        };
        const qint64 first = createTicket(nowMs - kDay);
        QVERIFY(first != 0);
        add(first, Category::General, ClassificationProvider::Rules, 0.42);
        add(first, Category::Billing, ClassificationProvider::Remote, 0.77);
        add(first, Category::Technical, ClassificationProvider::Agent, 1.0);
        const qint64 second = createTicket(nowMs - kDay);
        QVERIFY(second != 0);
        add(second, Category::Billing, ClassificationProvider::Remote, 0.91);
    }

    database.migrate();
    QVERIFY(Migrator(database).currentVersion() >= 3);
    {
        StatsRepository stats(database);
        TicketStats::ConfidenceHistogram billing{};
        billing[7] = 1;
        billing[9] = 1;
        const TicketStats result = stats.stats(kNow, 7);
        QCOMPARE(result.confidence[index(Category::Billing)], billing);
        QCOMPARE(result.confidence[index(Category::General)], TicketStats::ConfidenceHistogram{});
    }
    database.closeThreadConnection();
}

void TestStatsRepository::statsAgreeWithJson()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const qint64 ticket = addTicket(nowMs - 2 * kHour);
    classify(ticket, Category::Billing, ClassificationProvider::Rules, 0.45);
    classify(ticket, Category::General, ClassificationProvider::Agent, 1.0);

    const QJsonObject json = m_stats->stats(kNow, 7).toJson();
    QCOMPARE(json[u"corrections"_s][u"corrected"_s].toInteger(), 1);
    QCOMPARE(json[u"corrections"_s][u"by_category"_s][u"billing"_s][u"rate"_s].toDouble(), 1.0);
    QVERIFY(json[u"corrections"_s][u"by_category"_s][u"general"_s][u"rate"_s].isNull());
    QCOMPARE(json[u"confidence"_s][u"by_category"_s][u"billing"_s][4].toInteger(), 1);
    QCOMPARE(json[u"backlog"_s][u"by_age"_s][u"1h_to_1d"_s].toInteger(), 1);
    QCOMPARE(json[u"backlog"_s][u"oldest_age_seconds"_s].toInteger(), 2 * 3600);
    QCOMPARE(json[u"backlog"_s][u"as_of"_s].toString(), u"2024-05-20T15:30:00.000Z"_s);
}

void TestStatsRepository::satisfactionPerDayCategoryAndDraft()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const qint64 drafted = addTicket(nowMs - 3 * kDay);
    classify(drafted, Category::Billing, ClassificationProvider::Rules);
    addReply(drafted, nowMs - 3 * kDay + kHour, DraftOrigin{u"remote"_s, u"m"_s, 4});
    const qint64 written = addTicket(nowMs - 3 * kDay);
    classify(written, Category::Billing, ClassificationProvider::Rules);
    addReply(written, nowMs - 3 * kDay + kHour);
    const qint64 unclassified = addTicket(nowMs - 2 * kDay);
    // A note from a draft is not a reply the customer read.
    addReply(unclassified, nowMs - 2 * kDay, std::nullopt);
    const qint64 old = addTicket(nowMs - 20 * kDay);
    classify(old, Category::Billing, ClassificationProvider::Rules);

    rate(drafted, 5, true, nowMs - kDay);
    rate(written, 2, false, nowMs - kDay);
    rate(unclassified, 4, true, nowMs);
    rate(old, 1, false, nowMs - 10 * kDay); // before the window

    const TicketStats stats = m_stats->stats(kNow, 7);
    const TicketStats::Satisfaction all = stats.allSatisfaction();
    QCOMPARE(all.ratings, 3);
    QCOMPARE(all.ratingSum, 11);
    QCOMPARE(all.resolved, 2);
    const TicketStats::Satisfaction billing = stats.satisfaction[index(Category::Billing)];
    QCOMPARE(billing.ratings, 2);
    QCOMPARE(*billing.averageRating(), 3.5);
    QCOMPARE(*billing.resolvedRate(), 0.5);
    QVERIFY(!stats.satisfaction[index(Category::General)].averageRating());
    QCOMPARE(stats.satisfactionWithAiDraft.ratings, 1);
    QCOMPARE(*stats.satisfactionWithAiDraft.averageRating(), 5.0);
    QCOMPARE(stats.satisfactionWithoutAiDraft.ratings, 2);
    QCOMPARE(*stats.satisfactionWithoutAiDraft.averageRating(), 3.0);
    // By the day the rating was given.
    QCOMPARE(stats.days.last().satisfaction.ratings, 1);
    QCOMPARE(stats.days[stats.days.size() - 2].satisfaction.ratingSum, 7);
    QCOMPARE(stats.days[stats.days.size() - 4].satisfaction.ratings, 0);

    // A changed rating replaces the old one.
    rate(written, 4, true, nowMs);
    const TicketStats changed = m_stats->stats(kNow.addSecs(2), 7);
    QCOMPARE(changed.allSatisfaction().ratings, 3);
    QCOMPARE(changed.satisfactionWithoutAiDraft.ratingSum, 8);
    QCOMPARE(changed.days.last().satisfaction.ratings, 2);
}

void TestStatsRepository::firstReplyIsTimedOncePerTicket()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const qint64 quick = addTicket(nowMs - 3 * kHour);
    addReply(quick, nowMs - 3 * kHour, std::nullopt, MessageAuthor::Customer);
    addReply(quick, nowMs - 3 * kHour + 20 * kMinute);
    addReply(quick, nowMs - kHour); // a second reply is not a first one
    const qint64 slow = addTicket(nowMs - 3 * kDay);
    // The customer's own messages and internal notes answer nobody.
    addReply(slow, nowMs - 3 * kDay + kHour, std::nullopt, MessageAuthor::Customer);
    TicketMessage note;
    note.ticketId = slow;
    note.authorName = u"ada"_s;
    note.visibility = MessageVisibility::Internal;
    note.body = u"Asked finance"_s;
    note.createdAt = Timestamps::fromMs(nowMs - 3 * kDay + 2 * kHour);
    QVERIFY(
        MessageRepository(m_temporary->database()).add(note, Actor{Actor::Kind::User, u"ada"_s}));
    addReply(slow, nowMs - kDay, std::nullopt, MessageAuthor::Integration, u"crm"_s);
    // An imported ticket's dataset answer marks it answered without timing the team.
    TicketDraft importedDraft =
        TicketDraft::fromSubjectAndBody(u"Refund"_s, u"Charged twice"_s, TicketSource::Import);
    importedDraft.createdAt = Timestamps::fromMs(nowMs - kHour);
    importedDraft.dataset =
        DatasetInfo{u"Billing and Payments"_s, u"high"_s, u"en"_s, u"We refunded you."_s};
    QVERIFY(m_tickets->createImported(importedDraft, "imported"));
    const qint64 imported = m_tickets->list(TicketQuery{}).items.first().id;
    addReply(imported, nowMs - kMinute);
    // Someone who happens to be called "import" is timed like anyone.
    const qint64 namedImport = addTicket(nowMs - 2 * kHour);
    addReply(namedImport, nowMs - kHour, std::nullopt, MessageAuthor::Agent, u"import"_s);

    const TicketStats stats = m_stats->stats(kNow, 7);
    QCOMPARE(stats.firstReply.count(), 3);
    QCOMPARE(stats.firstReply.byAge[0], 1);
    QCOMPARE(stats.firstReply.byAge[1], 1);
    QCOMPARE(stats.firstReply.byAge[2], 1);
    QCOMPARE(*stats.firstReply.averageSeconds(), (20 * 60 + 3600 + 2 * 24 * 3600) / 3);
    QCOMPARE(stats.resolution.count(), 0);
    QVERIFY(!stats.resolution.averageSeconds());

    // Counted on the day of the reply: a window that ends before it has none.
    QCOMPARE(m_stats->stats(kNow.addDays(-2), 1).firstReply.count(), 0);
}

void TestStatsRepository::resolutionIsTimedOncePerTicket()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const qint64 ticket = addTicket(nowMs - 2 * kDay);
    resolveAt(ticket, TicketStatus::InProgress, nowMs - 2 * kDay + kHour);
    resolveAt(ticket, TicketStatus::Resolved, nowMs - 2 * kDay + 30 * kHour);
    // Reopened and resolved again: the first resolution stands.
    resolveAt(ticket, TicketStatus::Open, nowMs - kDay);
    resolveAt(ticket, TicketStatus::Closed, nowMs - kHour);
    const qint64 closedAtOnce = addTicket(nowMs - 10 * kMinute);
    resolveAt(closedAtOnce, TicketStatus::Closed, nowMs - 5 * kMinute);

    TicketStats stats = m_stats->stats(kNow, 7);
    QCOMPARE(stats.resolution.count(), 2);
    QCOMPARE(stats.resolution.byAge[0], 1);
    QCOMPARE(stats.resolution.byAge[2], 1);
    QCOMPARE(stats.resolution.totalSeconds, 30 * 3600 + 5 * 60);

    // Through the repository, as the window and the API change a status.
    const qint64 viaRepository = addTicket(nowMs - kHour);
    m_tickets->setStatus({viaRepository}, TicketStatus::Resolved,
                         Actor{Actor::Kind::User, u"ada"_s});
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.exec(u"SELECT resolved_at FROM tickets WHERE id = "_s +
                       QString::number(viaRepository)) &&
            query.next());
    QVERIFY(!query.isNull(0));
    // Counted on its own day, today, long after the ticket came (in 2024) and far from the
    // others.
    stats = m_stats->stats(Timestamps::fromMs(query.value(0).toLongLong()), 7);
    QCOMPARE(stats.resolution.count(), 1);
    QCOMPARE(stats.resolution.byAge[3], 1);
}

void TestStatsRepository::draftAcceptancePerProvider()
{
    const qint64 nowMs = Timestamps::toMs(kNow);
    const Actor ada{Actor::Kind::User, u"ada"_s};
    MessageRepository messages(m_temporary->database());
    const qint64 first = addTicket(nowMs - kDay);
    const qint64 second = addTicket(nowMs - kDay);
    // Offers are stamped with the real time: the window is taken around it.
    messages.recordDraftOffer(first, u"remote"_s, u"gpt"_s, ada);
    messages.recordDraftOffer(second, u"remote"_s, u"gpt"_s, ada);
    messages.recordDraftOffer(second, u"local"_s, u"similar-tickets"_s, ada);
    messages.recordDraftOffer(999999, u"local"_s, u"similar-tickets"_s, ada); // no such ticket
    const qint64 realNow = QDateTime::currentMSecsSinceEpoch();
    addReply(first, realNow, DraftOrigin{u"remote"_s, u"gpt"_s, 12});

    const TicketStats stats = m_stats->stats(Timestamps::fromMs(realNow), 7);
    QCOMPARE(stats.drafts.size(), 2);
    QCOMPARE(stats.drafts[0].provider, u"local"_s);
    QCOMPARE(stats.drafts[0].offered, 1);
    QCOMPARE(stats.drafts[0].sent, 0);
    QCOMPARE(*stats.drafts[0].acceptanceRate(), 0.0);
    QVERIFY(!stats.drafts[0].averageEdits());
    QCOMPARE(stats.drafts[1].provider, u"remote"_s);
    QCOMPARE(stats.drafts[1].offered, 2);
    QCOMPARE(stats.drafts[1].sent, 1);
    QCOMPARE(*stats.drafts[1].acceptanceRate(), 0.5);
    QCOMPARE(*stats.drafts[1].averageEdits(), 12.0);
}

void TestStatsRepository::upgradeTimesExistingRepliesAndResolutions()
{
    TemporaryDatabase temporary(TemporaryDatabase::Schema::Empty);
    Database &database = temporary.database();
    temporary.migrateTo(13);
    const qint64 nowMs = Timestamps::toMs(kNow);
    const qint64 created = nowMs - 2 * kDay;
    // What v0.7 stored: a ticket answered after two hours by an agent (after an imported
    // answer-less customer message), and one resolved after a day per its history.
    QSqlQuery exec(database.connection());
    const auto run = [&exec](const QString &sql) {
        QVERIFY2(exec.exec(sql), qPrintable(exec.lastError().text() + u" in "_s + sql));
    };
    run(u"INSERT INTO tickets (id, body, form, source, status, created_at, updated_at) VALUES "
        "(1, 'a', 'text', 'api', 'waiting', %1, %1), (2, 'b', 'text', 'api', 'resolved', %1, %2)"_s
            .arg(created)
            .arg(nowMs - kHour));
    run(u"INSERT INTO ticket_messages (ticket_id, author_kind, author, visibility, body, "
        "delivery, created_at) VALUES (1, 'customer', '', 'public', 'hello', NULL, %1), "
        "(1, 'agent', 'ada', 'public', 'hi', 'delivered', %2), "
        "(1, 'agent', 'ada', 'public', 'more', 'delivered', %3)"_s.arg(created + kHour)
            .arg(created + 2 * kHour)
            .arg(created + 3 * kHour));
    run(u"INSERT INTO ticket_events (ticket_id, field, value_before, value_after, actor_kind, "
        "actor, created_at) VALUES (2, 'status', 'open', 'resolved', 'user', 'ada', %1)"_s.arg(
            created + kDay));
    // Resolved after two hours and open again since: its first resolution still counts.
    run(u"INSERT INTO ticket_events (ticket_id, field, value_before, value_after, actor_kind, "
        "actor, created_at) VALUES (1, 'status', 'open', 'resolved', 'user', 'ada', %1), "
        "(1, 'status', 'resolved', 'waiting', 'user', 'ada', %2)"_s.arg(created + 2 * kHour)
            .arg(created + 3 * kHour));
    exec.finish();

    database.migrate();
    const TicketStats stats = StatsRepository(database).stats(kNow, 7);
    QCOMPARE(stats.firstReply.count(), 1);
    QCOMPARE(stats.firstReply.byAge[1], 1);
    QCOMPARE(stats.firstReply.totalSeconds, 2 * 3600);
    QCOMPARE(stats.resolution.count(), 2);
    QCOMPARE(stats.resolution.byAge[1], 1);
    QCOMPARE(stats.resolution.byAge[2], 1);
    QCOMPARE(stats.resolution.totalSeconds, 24 * 3600 + 2 * 3600);
    // A reply after the upgrade is not the ticket's first.
    TicketMessage later;
    later.ticketId = 1;
    later.authorName = u"ada"_s;
    later.body = u"again"_s;
    later.createdAt = kNow;
    QVERIFY(MessageRepository(database).add(later, Actor{Actor::Kind::User, u"ada"_s}));
    QCOMPARE(StatsRepository(database).stats(kNow, 7).firstReply.count(), 1);
}

QTEST_GUILESS_MAIN(TestStatsRepository)
#include "tst_statsrepository.moc"
