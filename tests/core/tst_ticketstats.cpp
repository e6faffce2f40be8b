#include "ticketstats.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

qint64 count(const TicketStats::Day &day, Category category)
{
    return day.perCategory[static_cast<std::size_t>(category)];
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

} // namespace

class TestTicketStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyWindow_data();
    void emptyWindow();
    void addCountsPerCategory();
    void addIgnoresDatesOutsideWindow_data();
    void addIgnoresDatesOutsideWindow();
    void addToEmptyStatsIsHarmless();
    void ratingsAddUpByDayCategoryAndDraft();
    void responseTimesAndDraftUseAreNullWithoutData();
    void toJson();
    void autoResolveRates();
    void toJsonOfEmptyWindow();
    void managersFiguresToJson();
    void correctionRate_data();
    void correctionRate();
    void confidenceBucket_data();
    void confidenceBucket();
    void backlogAge_data();
    void backlogAge();
    void daysFromUrlQuery_data();
    void daysFromUrlQuery();
};

void TestTicketStats::autoResolveRates()
{
    const QDate today(2024, 3, 1);
    TicketStats stats = TicketStats::emptyWindow(today, 7);
    // None before anything came or was auto-resolved, rather than a misleading 0.
    QVERIFY(!stats.autoResolveRate());
    QVERIFY(!stats.allAutoResolve().reopenRate());

    stats.add(today, Category::Billing, 10);
    stats.add(today, Category::Technical, 10);
    TicketStats::AutoResolution &billing = stats.autoResolve[std::size_t(Category::Billing)];
    billing.threshold = 0.9;
    billing.resolved = 4;
    billing.reopened = 1;
    stats.autoResolve[std::size_t(Category::General)].resolved = 2; // came before the window

    QCOMPARE(stats.autoResolveRate(Category::Billing), 0.4);
    QCOMPARE(stats.autoResolveRate(Category::Technical), 0.0);
    // Nothing of the category came within the window: no rate.
    QVERIFY(!stats.autoResolveRate(Category::General));
    QCOMPARE(stats.autoResolveRate(), 0.3);
    // More resolved than came within the window: at most every one.
    stats.add(today, Category::General, 1);
    QCOMPARE(stats.autoResolveRate(Category::General), 1.0);
    QCOMPARE(stats.autoResolveRate(), 6.0 / 21);
    QCOMPARE(billing.reopenRate(), 0.25);
    QCOMPARE(stats.allAutoResolve().resolved, 6);
    QCOMPARE(stats.allAutoResolve().reopenRate(), 1.0 / 6);

    const QJsonObject json = stats.toJson().value(u"auto_resolve"_s).toObject();
    QCOMPARE(sortedKeys(json), (QStringList{u"by_category"_s, u"rate"_s, u"reopen_rate"_s,
                                            u"reopened"_s, u"resolved"_s}));
    const QJsonObject byCategory = json.value(u"by_category"_s).toObject();
    QCOMPARE(byCategory.value(u"billing"_s).toObject().value(u"threshold"_s).toDouble(), 0.9);
    QVERIFY(byCategory.value(u"technical"_s).toObject().value(u"threshold"_s).isNull());
    QCOMPARE(byCategory.value(u"general"_s).toObject().value(u"rate"_s).toDouble(), 1.0);
    QCOMPARE(json.value(u"resolved"_s).toInteger(), 6);
}

void TestTicketStats::emptyWindow_data()
{
    QTest::addColumn<QDate>("today");
    QTest::addColumn<int>("days");
    QTest::addColumn<QDate>("first");

    QTest::newRow("7 days") << QDate(2024, 5, 20) << 7 << QDate(2024, 5, 14);
    QTest::newRow("7 days over a leap day") << QDate(2024, 3, 2) << 7 << QDate(2024, 2, 25);
    QTest::newRow("7 days over new year") << QDate(2025, 1, 3) << 7 << QDate(2024, 12, 28);
    QTest::newRow("1 day") << QDate(2024, 5, 20) << 1 << QDate(2024, 5, 20);
    QTest::newRow("90 days") << QDate(2024, 5, 20) << 90 << QDate(2024, 2, 21);
}

void TestTicketStats::emptyWindow()
{
    QFETCH(QDate, today);
    QFETCH(int, days);
    QFETCH(QDate, first);

    const TicketStats stats = TicketStats::emptyWindow(today, days);
    QCOMPARE(stats.days.size(), days);
    QCOMPARE(stats.days.first().date, first);
    QCOMPARE(stats.days.last().date, today);
    for (qsizetype i = 0; i < stats.days.size(); ++i) {
        const TicketStats::Day &day = stats.days.at(i);
        QCOMPARE(day.date, first.addDays(i));
        QCOMPARE(day.unclassified, qint64(0));
        QCOMPARE(day.total(), qint64(0));
        for (Category category : kAllCategories)
            QCOMPARE(count(day, category), qint64(0));
    }
}

void TestTicketStats::addCountsPerCategory()
{
    const QDate today(2024, 5, 20);
    TicketStats stats = TicketStats::emptyWindow(today, 7);
    stats.add(today, Category::Technical, 3);
    stats.add(today, Category::Billing, 2);
    stats.add(today, std::nullopt, 4);
    stats.add(today, Category::Technical, 1); // the same key twice adds up
    stats.add(today.addDays(-6), Category::General, 5);
    stats.add(today.addDays(-3), std::nullopt, 1);

    const TicketStats::Day &last = stats.days.last();
    QCOMPARE(count(last, Category::Technical), qint64(4));
    QCOMPARE(count(last, Category::Billing), qint64(2));
    QCOMPARE(count(last, Category::General), qint64(0));
    QCOMPARE(last.unclassified, qint64(4));
    QCOMPARE(last.total(), qint64(10));

    const TicketStats::Day &first = stats.days.first();
    QCOMPARE(first.date, today.addDays(-6));
    QCOMPARE(count(first, Category::General), qint64(5));
    QCOMPARE(first.total(), qint64(5));

    QCOMPARE(stats.days.at(3).date, today.addDays(-3));
    QCOMPARE(stats.days.at(3).unclassified, qint64(1));
    QCOMPARE(stats.days.at(3).total(), qint64(1));

    for (qsizetype i : {1, 2, 4, 5})
        QCOMPARE(stats.days.at(i).total(), qint64(0));
}

void TestTicketStats::addIgnoresDatesOutsideWindow_data()
{
    QTest::addColumn<int>("offsetFromToday");

    QTest::newRow("day before the window") << -7;
    QTest::newRow("long ago") << -400;
    QTest::newRow("tomorrow") << 1;
    QTest::newRow("next year") << 365;
}

void TestTicketStats::addIgnoresDatesOutsideWindow()
{
    QFETCH(int, offsetFromToday);

    const QDate today(2024, 5, 20);
    TicketStats stats = TicketStats::emptyWindow(today, 7);
    stats.add(today.addDays(offsetFromToday), Category::Billing, 9);
    stats.add(today.addDays(offsetFromToday), std::nullopt, 9);
    for (const TicketStats::Day &day : std::as_const(stats.days))
        QCOMPARE(day.total(), qint64(0));
    QCOMPARE(stats.toJson().value(u"total"_s).toInteger(), qint64(0));
}

void TestTicketStats::addToEmptyStatsIsHarmless()
{
    TicketStats stats;
    stats.add(QDate(2024, 5, 20), Category::General, 1);
    QVERIFY(stats.days.isEmpty());
}

void TestTicketStats::ratingsAddUpByDayCategoryAndDraft()
{
    const QDate today(2024, 5, 20);
    TicketStats stats = TicketStats::emptyWindow(today, 7);
    stats.addRatings(today, Category::Billing, true, {2, 9, 2});
    stats.addRatings(today.addDays(-1), Category::Billing, false, {1, 1, 0});
    stats.addRatings(today, std::nullopt, false, {1, 3, 1});
    stats.addRatings(today.addDays(-7), Category::Billing, false, {5, 5, 0}); // outside

    const TicketStats::Satisfaction billing = stats.satisfaction[1];
    QCOMPARE(billing.ratings, 3);
    QCOMPARE(*billing.averageRating(), 10.0 / 3);
    QCOMPARE(*billing.resolvedRate(), 2.0 / 3);
    QCOMPARE(stats.days.last().satisfaction.ratings, 3);
    QCOMPARE(stats.satisfactionWithAiDraft.ratingSum, 9);
    QCOMPARE(stats.satisfactionWithoutAiDraft.ratings, 2);
    QCOMPARE(stats.allSatisfaction().ratings, 4);
    const QJsonObject json = stats.toJson()[u"satisfaction"_s].toObject();
    QCOMPARE(json[u"average_rating"_s].toDouble(), 13.0 / 4);
    QCOMPARE(json[u"by_category"_s][u"billing"_s][u"ratings"_s].toInteger(), 3);
    QVERIFY(json[u"by_category"_s][u"general"_s][u"average_rating"_s].isNull());
    QCOMPARE(json[u"with_ai_draft"_s][u"resolved_rate"_s].toDouble(), 1.0);
}

void TestTicketStats::responseTimesAndDraftUseAreNullWithoutData()
{
    TicketStats stats = TicketStats::emptyWindow(QDate(2024, 5, 20), 7);
    QJsonObject json = stats.toJson();
    QCOMPARE(json[u"first_reply"_s][u"count"_s].toInteger(), 0);
    QVERIFY(json[u"first_reply"_s][u"average_seconds"_s].isNull());
    QVERIFY(json[u"drafts"_s].toArray().isEmpty());

    stats.firstReply.byAge = {1, 2, 0, 1};
    stats.firstReply.totalSeconds = 4000;
    TicketStats::DraftUse &remote = stats.draftUse(u"remote"_s);
    remote.offered = 2;
    remote.sent = 3; // one offered before the window
    remote.edits = 30;
    QCOMPARE(&stats.draftUse(u"remote"_s), &remote);
    json = stats.toJson();
    QCOMPARE(json[u"first_reply"_s][u"count"_s].toInteger(), 4);
    QCOMPARE(json[u"first_reply"_s][u"average_seconds"_s].toInteger(), 1000);
    QCOMPARE(json[u"first_reply"_s][u"by_age"_s][u"1h_to_1d"_s].toInteger(), 2);
    const QJsonObject draft = json[u"drafts"_s][0].toObject();
    QCOMPARE(draft[u"provider"_s].toString(), u"remote"_s);
    QCOMPARE(draft[u"acceptance_rate"_s].toDouble(), 1.0);
    QCOMPARE(draft[u"average_edits"_s].toDouble(), 10.0);
}

void TestTicketStats::toJson()
{
    const QDate today(2024, 3, 1);
    TicketStats stats = TicketStats::emptyWindow(today, 7);
    stats.add(QDate(2024, 2, 29), Category::Technical, 5);
    stats.add(QDate(2024, 2, 29), Category::Billing, 1);
    stats.add(QDate(2024, 2, 24), Category::Technical, 1); // the window's first day
    stats.add(QDate(2024, 3, 1), Category::General, 2);
    stats.add(QDate(2024, 3, 1), std::nullopt, 3);
    stats.add(QDate(2024, 2, 23), Category::Billing, 100); // outside, must not count

    const QJsonObject json = stats.toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{u"auto_resolve"_s, u"backlog"_s, u"by_category"_s, u"confidence"_s,
                          u"corrections"_s, u"days"_s, u"drafts"_s, u"first_reply"_s, u"from"_s,
                          u"per_day"_s, u"resolution"_s, u"satisfaction"_s, u"to"_s, u"total"_s,
                          u"unclassified"_s}));
    QCOMPARE(json.value(u"days"_s).toInteger(), qint64(7));
    QCOMPARE(json.value(u"from"_s).toString(), u"2024-02-24"_s);
    QCOMPARE(json.value(u"to"_s).toString(), u"2024-03-01"_s);
    QCOMPARE(json.value(u"total"_s).toInteger(), qint64(12));
    QCOMPARE(json.value(u"unclassified"_s).toInteger(), qint64(3));

    const QJsonObject byCategory = json.value(u"by_category"_s).toObject();
    QCOMPARE(sortedKeys(byCategory), (QStringList{u"billing"_s, u"general"_s, u"technical"_s}));
    QCOMPARE(byCategory.value(u"technical"_s).toInteger(), qint64(6));
    QCOMPARE(byCategory.value(u"billing"_s).toInteger(), qint64(1));
    QCOMPARE(byCategory.value(u"general"_s).toInteger(), qint64(2));

    const QJsonArray perDay = json.value(u"per_day"_s).toArray();
    QCOMPARE(perDay.size(), 7);
    const QStringList dayKeys{u"billing"_s,   u"date"_s,  u"general"_s,     u"satisfaction"_s,
                              u"technical"_s, u"total"_s, u"unclassified"_s};
    const struct
    {
        const char16_t *date;
        qint64 technical, billing, general, unclassified, total;
    } expected[] = {
        {u"2024-02-24", 1, 0, 0, 0, 1}, {u"2024-02-25", 0, 0, 0, 0, 0},
        {u"2024-02-26", 0, 0, 0, 0, 0}, {u"2024-02-27", 0, 0, 0, 0, 0},
        {u"2024-02-28", 0, 0, 0, 0, 0}, {u"2024-02-29", 5, 1, 0, 0, 6},
        {u"2024-03-01", 0, 0, 2, 3, 5},
    };
    for (qsizetype i = 0; i < perDay.size(); ++i) {
        const QJsonObject day = perDay.at(i).toObject();
        const auto &want = expected[i];
        QCOMPARE(sortedKeys(day), dayKeys);
        QCOMPARE(day.value(u"date"_s).toString(), QString::fromUtf16(want.date));
        QCOMPARE(day.value(u"technical"_s).toInteger(), want.technical);
        QCOMPARE(day.value(u"billing"_s).toInteger(), want.billing);
        QCOMPARE(day.value(u"general"_s).toInteger(), want.general);
        QCOMPARE(day.value(u"unclassified"_s).toInteger(), want.unclassified);
        QCOMPARE(day.value(u"total"_s).toInteger(), want.total);
    }
}

void TestTicketStats::toJsonOfEmptyWindow()
{
    const QJsonObject json = TicketStats::emptyWindow(QDate(2024, 5, 20), 3).toJson();
    QCOMPARE(json.value(u"total"_s).toInteger(), qint64(0));
    QCOMPARE(json.value(u"unclassified"_s).toInteger(), qint64(0));
    QCOMPARE(json.value(u"per_day"_s).toArray().size(), 3);
    // Empty days are listed with zeros, so a chart needs no gap filling.
    const QJsonObject first = json.value(u"per_day"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"date"_s).toString(), u"2024-05-18"_s);
    QVERIFY(first.value(u"technical"_s).isDouble());
    QCOMPARE(first.value(u"technical"_s).toInteger(), qint64(0));
}

void TestTicketStats::managersFiguresToJson()
{
    TicketStats stats = TicketStats::emptyWindow(QDate(2024, 5, 20), 7);
    stats.corrections[std::size_t(Category::Technical)] = {3, 9};
    stats.corrections[std::size_t(Category::Billing)] = {1, 0};
    stats.correctionsByActor = {{Actor::user(u"alice"_s), {2, 3}},
                                {Actor::integration(u"crm"_s), {0, 4}}};
    stats.confidence[std::size_t(Category::General)][0] = 4;
    stats.confidence[std::size_t(Category::General)][9] = 6;
    stats.backlog.asOf = QDateTime(QDate(2024, 5, 20), QTime(8, 0), Qt::UTC);
    stats.backlog.byAge = {1, 2, 3, 4};
    stats.backlog.oldestAgeSeconds = 864000;

    const QJsonObject json = stats.toJson();
    const QJsonObject corrections = json.value(u"corrections"_s).toObject();
    QCOMPARE(sortedKeys(corrections), (QStringList{u"by_actor"_s, u"by_category"_s, u"confirmed"_s,
                                                   u"corrected"_s, u"rate"_s}));
    QCOMPARE(corrections.value(u"corrected"_s).toInteger(), 4);
    QCOMPARE(corrections.value(u"confirmed"_s).toInteger(), 9);
    QCOMPARE(corrections.value(u"rate"_s).toDouble(), 4.0 / 13.0);
    const QJsonObject technical = corrections[u"by_category"_s][u"technical"_s].toObject();
    QCOMPARE(technical.value(u"corrected"_s).toInteger(), 3);
    QCOMPARE(technical.value(u"confirmed"_s).toInteger(), 9);
    QCOMPARE(technical.value(u"rate"_s).toDouble(), 0.25);
    const QJsonArray byActor = corrections.value(u"by_actor"_s).toArray();
    QCOMPARE(byActor.size(), 2);
    QCOMPARE(byActor.at(0)[u"actor"_s][u"kind"_s].toString(), u"user"_s);
    QCOMPARE(byActor.at(0)[u"actor"_s][u"name"_s].toString(), u"alice"_s);
    QCOMPARE(byActor.at(0)[u"corrected"_s].toInteger(), 2);
    QCOMPARE(byActor.at(0)[u"rate"_s].toDouble(), 0.4);
    QCOMPARE(byActor.at(1)[u"actor"_s][u"kind"_s].toString(), u"integration"_s);
    QCOMPARE(byActor.at(1)[u"confirmed"_s].toInteger(), 4);
    QCOMPARE(corrections[u"by_category"_s][u"billing"_s][u"rate"_s].toDouble(), 1.0);
    // No verdict, no rate: null rather than a 0 that reads as "never wrong".
    QVERIFY(corrections[u"by_category"_s][u"general"_s][u"rate"_s].isNull());

    const QJsonObject confidence = json.value(u"confidence"_s).toObject();
    QCOMPARE(confidence.value(u"bucket_width"_s).toDouble(), 0.1);
    const QJsonObject histograms = confidence.value(u"by_category"_s).toObject();
    QCOMPARE(sortedKeys(histograms), (QStringList{u"billing"_s, u"general"_s, u"technical"_s}));
    const QJsonArray general = histograms.value(u"general"_s).toArray();
    QCOMPARE(general.size(), 10);
    QCOMPARE(general.at(0).toInteger(), 4);
    QCOMPARE(general.at(9).toInteger(), 6);
    QCOMPARE(general.at(5).toInteger(), 0);
    QCOMPARE(histograms.value(u"billing"_s).toArray().size(), 10);

    const QJsonObject backlog = json.value(u"backlog"_s).toObject();
    QCOMPARE(sortedKeys(backlog),
             (QStringList{u"as_of"_s, u"by_age"_s, u"oldest_age_seconds"_s, u"total"_s}));
    QCOMPARE(backlog.value(u"as_of"_s).toString(), u"2024-05-20T08:00:00.000Z"_s);
    QCOMPARE(backlog.value(u"total"_s).toInteger(), 10);
    QCOMPARE(backlog.value(u"oldest_age_seconds"_s).toInteger(), 864000);
    const QJsonObject byAge = backlog.value(u"by_age"_s).toObject();
    QCOMPARE(byAge.value(u"under_1h"_s).toInteger(), 1);
    QCOMPARE(byAge.value(u"1h_to_1d"_s).toInteger(), 2);
    QCOMPARE(byAge.value(u"1d_to_7d"_s).toInteger(), 3);
    QCOMPARE(byAge.value(u"over_7d"_s).toInteger(), 4);
    QCOMPARE(byAge.size(), 4);

    stats.backlog = {};
    QVERIFY(stats.toJson()[u"backlog"_s][u"oldest_age_seconds"_s].isNull());
}

void TestTicketStats::correctionRate_data()
{
    QTest::addColumn<qint64>("corrected");
    QTest::addColumn<qint64>("confirmed");
    QTest::addColumn<double>("rate"); // negative: none

    QTest::newRow("no verdicts") << qint64(0) << qint64(0) << -1.0;
    QTest::newRow("all confirmed") << qint64(0) << qint64(5) << 0.0;
    QTest::newRow("all corrected") << qint64(2) << qint64(0) << 1.0;
    QTest::newRow("one in four") << qint64(1) << qint64(3) << 0.25;
}

void TestTicketStats::correctionRate()
{
    QFETCH(qint64, corrected);
    QFETCH(qint64, confirmed);
    QFETCH(double, rate);

    const TicketStats::Corrections corrections{corrected, confirmed};
    QCOMPARE(corrections.reviewed(), corrected + confirmed);
    QCOMPARE(corrections.rate().has_value(), rate >= 0);
    if (rate >= 0)
        QCOMPARE(*corrections.rate(), rate);
}

void TestTicketStats::confidenceBucket_data()
{
    QTest::addColumn<double>("confidence");
    QTest::addColumn<int>("bucket");

    QTest::newRow("0") << 0.0 << 0;
    QTest::newRow("0.0999") << 0.0999 << 0;
    QTest::newRow("0.1") << 0.1 << 1;
    QTest::newRow("0.3") << 0.3 << 3;
    QTest::newRow("0.5") << 0.5 << 5;
    QTest::newRow("0.7") << 0.7 << 7;
    QTest::newRow("0.9") << 0.9 << 9;
    QTest::newRow("1 shares the last bucket") << 1.0 << 9;
    QTest::newRow("out of range low") << -0.2 << 0;
    QTest::newRow("out of range high") << 1.5 << 9;
}

void TestTicketStats::confidenceBucket()
{
    QFETCH(double, confidence);
    QFETCH(int, bucket);
    QCOMPARE(TicketStats::confidenceBucket(confidence), bucket);
}

void TestTicketStats::backlogAge_data()
{
    using Age = TicketStats::BacklogAge;
    constexpr qint64 hour = 3600 * 1000;
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<Age>("age");

    QTest::newRow("future") << qint64(-1000) << Age::UnderHour;
    QTest::newRow("new") << qint64(0) << Age::UnderHour;
    QTest::newRow("59:59.999") << hour - 1 << Age::UnderHour;
    QTest::newRow("1 h") << hour << Age::UnderDay;
    QTest::newRow("24 h - 1 ms") << 24 * hour - 1 << Age::UnderDay;
    QTest::newRow("24 h") << 24 * hour << Age::UnderWeek;
    QTest::newRow("7 d - 1 ms") << 7 * 24 * hour - 1 << Age::UnderWeek;
    QTest::newRow("7 d") << 7 * 24 * hour << Age::OverWeek;
    QTest::newRow("a year") << 365 * 24 * hour << Age::OverWeek;
}

void TestTicketStats::backlogAge()
{
    QFETCH(qint64, ageMs);
    QFETCH(TicketStats::BacklogAge, age);
    QCOMPARE(TicketStats::backlogAge(ageMs), age);
}

void TestTicketStats::daysFromUrlQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("days");
    QTest::addColumn<QStringList>("expectedFields");

    const QStringList none;
    const QStringList daysError{u"days"_s};
    QTest::newRow("default") << QString() << 7 << none;
    QTest::newRow("1") << u"days=1"_s << 1 << none;
    QTest::newRow("30") << u"days=30"_s << 30 << none;
    QTest::newRow("90") << u"days=90"_s << 90 << none;
    QTest::newRow("0") << u"days=0"_s << 7 << daysError;
    QTest::newRow("91") << u"days=91"_s << 7 << daysError;
    QTest::newRow("negative") << u"days=-3"_s << 7 << daysError;
    QTest::newRow("x") << u"days=x"_s << 7 << daysError;
    QTest::newRow("empty") << u"days="_s << 7 << daysError;
    QTest::newRow("fraction") << u"days=1.5"_s << 7 << daysError;
    QTest::newRow("repeated") << u"days=7&days=14"_s << 7 << daysError;
    QTest::newRow("unknown parameter") << u"day=7"_s << 7 << QStringList{u"day"_s};
}

void TestTicketStats::daysFromUrlQuery()
{
    QFETCH(QString, query);
    QFETCH(int, days);
    QFETCH(QStringList, expectedFields);

    const Validated<int> result = TicketStats::daysFromUrlQuery(QUrlQuery(query));
    QStringList fields;
    for (const FieldError &error : result.errors) {
        fields.append(error.field);
        QVERIFY(!error.message.isEmpty());
    }
    QCOMPARE(fields, expectedFields);
    QCOMPARE(result.isValid(), expectedFields.isEmpty());
    if (result.isValid())
        QCOMPARE(result.value, days);
}

QTEST_GUILESS_MAIN(TestTicketStats)
#include "tst_ticketstats.moc"
