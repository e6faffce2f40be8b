#include "categorypalette.h"
#include "classificationrepository.h"
#include "feedbackrepository.h"
#include "messagerepository.h"
#include "runningserver.h"
#include "statsrepository.h"
#include "statsview.h"
#include "testclassifications.h"
#include "ticketrepository.h"
#include "timestamps.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kHour = 60 * 60 * 1000;
constexpr qint64 kDay = Timestamps::kMsPerDay;

QList<QBarSet *> barSets(const StatsView &view, const QString &chartViewName)
{
    auto *chartView = view.findChild<QChartView *>(chartViewName);
    if (!chartView || !chartView->chart())
        return {};
    const QList<QAbstractSeries *> series = chartView->chart()->series();
    for (QAbstractSeries *candidate : series) {
        if (auto *bars = qobject_cast<QStackedBarSeries *>(candidate))
            return bars->barSets();
    }
    return {};
}

// The JSON key a bar set's numbers come from, found by its label as a user sees it.
QString keyOf(const QBarSet *set)
{
    for (Category category : kAllCategories) {
        if (set->label() == CategoryPalette::displayName(category))
            return categoryName(category);
    }
    return set->label() == StatsView::tr("Unclassified") ? u"unclassified"_s : QString();
}

} // namespace

class TestStatsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void showsWhatTheApiServes();
    void rangeSelectionAsksForNewStats();
    void exportFailureIsReported();
    void learningCurveShowsWhatCorrectionsTaught();
    void outcomesShowWhatTheApiServes();

private:
    void seedTickets();
    qint64 addTicket(qint64 ageMs);

    std::unique_ptr<RunningServer> m_server;
    qint64 m_nowMs = 0;
};

void TestStatsView::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    m_nowMs = QDateTime::currentMSecsSinceEpoch();
}

void TestStatsView::cleanup()
{
    m_server.reset();
}

qint64 TestStatsView::addTicket(qint64 ageMs)
{
    TicketDraft draft =
        TicketDraft::fromText(u"Printer on fire, invoice attached"_s, TicketSource::Gui);
    draft.createdAt = Timestamps::fromMs(m_nowMs - ageMs);
    return TicketRepository(m_server->database()).create(draft).id;
}

// Tickets on most days of the week, in every category, some unclassified, some corrected by an
// agent, and one before the window; each day's mix differs so a swapped set or day shows.
void TestStatsView::seedTickets()
{
    using P = ClassificationProvider;
    const Category categories[] = {Category::Technical, Category::Billing, Category::General};
    for (int daysAgo = 0; daysAgo < 7; ++daysAgo) {
        if (daysAgo == 3)
            continue; // an empty day
        for (int i = 0; i <= daysAgo + 1; ++i) {
            const qint64 ticket = addTicket(daysAgo * kDay + (i + 1) * 1000);
            if (i % 4 == 3)
                continue; // unclassified
            const Category category = categories[(daysAgo + i) % 3];
            TestClassifications::add(m_server->database(), ticket, category, P::Rules,
                                     0.05 + 0.13 * ((daysAgo * 3 + i) % 7));
            if (i == 1)
                TestClassifications::add(m_server->database(), ticket,
                                         categories[(daysAgo + i + 1) % 3], P::Agent, 1.0);
            if (i == 2)
                TestClassifications::add(m_server->database(), ticket, category, P::Agent, 1.0);
        }
    }
    TestClassifications::add(m_server->database(), addTicket(12 * kDay), Category::Billing,
                             P::Learned, 0.4);
    addTicket(2 * kHour);
    // Verdicts by two people and an integration, for the corrections per actor.
    ClassificationRepository classifications(m_server->database());
    for (const auto &[actor, category] :
         {std::pair{Actor::user(u"dora"_s), Category::General},
          std::pair{Actor::user(u"erik"_s), Category::Technical},
          std::pair{Actor::integration(u"crm"_s), Category::Billing}}) {
        const qint64 ticket = addTicket(kHour);
        TestClassifications::add(m_server->database(), ticket, Category::Technical, P::Rules, 0.5);
        classifications.addVerdict({ticket}, category, actor);
    }
}

void TestStatsView::showsWhatTheApiServes()
{
    seedTickets();
    const HttpClient::Response response = m_server->client().get(u"/stats?days=7"_s);
    QCOMPARE(response.status, 200);
    const QJsonObject json = response.json();
    const TicketStats stats =
        StatsRepository(m_server->database()).stats(QDateTime::currentDateTimeUtc(), 7);
    QCOMPARE(stats.days.last().date.toString(Qt::ISODate), json.value(u"to"_s).toString());

    StatsView view;
    view.resize(1100, 680);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setStats(stats);

    // Every bar of the daily chart is the API's count for that day and category.
    const QJsonArray perDay = json.value(u"per_day"_s).toArray();
    QCOMPARE(perDay.size(), 7);
    const QList<QBarSet *> daily = barSets(view, u"dailyChartView"_s);
    QCOMPARE(daily.size(), 4);
    QStringList shownKeys;
    for (QBarSet *set : daily) {
        const QString key = keyOf(set);
        QVERIFY2(!key.isEmpty(), qPrintable(set->label()));
        shownKeys.append(key);
        QCOMPARE(set->count(), 7);
        for (int day = 0; day < 7; ++day)
            QCOMPARE(qint64(set->at(day)), perDay.at(day)[key].toInteger());
        if (key != u"unclassified"_s)
            QCOMPARE(set->color(), CategoryPalette::color(*categoryFromName(key)));
    }
    shownKeys.sort();
    QCOMPARE(shownKeys,
             (QStringList{u"billing"_s, u"general"_s, u"technical"_s, u"unclassified"_s}));
    QVERIFY(json.value(u"total"_s).toInteger() > 20);

    // The totals say the same as the JSON.
    const QString totals = view.findChild<QLabel *>(u"totalsLabel"_s)->text();
    const QLocale locale;
    for (Category category : kAllCategories) {
        const QString expected = u"%1: %2"_s.arg(
            CategoryPalette::displayName(category),
            locale.toString(json[u"by_category"_s][categoryName(category)].toInteger()));
        QVERIFY2(totals.contains(expected), qPrintable(totals + u" lacks "_s + expected));
    }
    QVERIFY(totals.contains(u"Unclassified: %1"_s.arg(json.value(u"unclassified"_s).toInteger())));
    QVERIFY(totals.contains(u"Total: %1 tickets"_s.arg(json.value(u"total"_s).toInteger())));

    // Corrections, confidence and backlog beside the chart, as served.
    auto *corrections = view.findChild<QTableWidget *>(u"correctionsTableWidget"_s);
    const QJsonObject correctionsJson = json.value(u"corrections"_s).toObject();
    QVERIFY(correctionsJson.value(u"corrected"_s).toInteger() > 0);
    for (Category category : kAllCategories) {
        const int row = int(category);
        const QJsonObject expected =
            correctionsJson[u"by_category"_s][categoryName(category)].toObject();
        QCOMPARE(corrections->verticalHeaderItem(row)->text(),
                 CategoryPalette::displayName(category));
        QCOMPARE(corrections->item(row, 0)->text(),
                 locale.toString(expected.value(u"corrected"_s).toInteger()));
        QCOMPARE(corrections->item(row, 1)->text(),
                 locale.toString(expected.value(u"confirmed"_s).toInteger()));
    }
    QCOMPARE(corrections->item(3, 0)->text(),
             locale.toString(correctionsJson.value(u"corrected"_s).toInteger()));
    // Per person and integration, in the API's order, an integration said to be one.
    auto *byActor = view.findChild<QTableWidget *>(u"correctionsByActorTableWidget"_s);
    const QJsonArray byActorJson = correctionsJson.value(u"by_actor"_s).toArray();
    QVERIFY(byActorJson.size() >= 3);
    QCOMPARE(byActor->rowCount(), byActorJson.size());
    QStringList actors;
    for (int row = 0; row < byActor->rowCount(); ++row) {
        const QJsonObject expected = byActorJson.at(row).toObject();
        actors.append(byActor->verticalHeaderItem(row)->text());
        QVERIFY(actors.last().startsWith(expected[u"actor"_s][u"name"_s].toString()));
        QCOMPARE(byActor->item(row, 0)->text(),
                 locale.toString(expected.value(u"corrected"_s).toInteger()));
        QCOMPARE(byActor->item(row, 1)->text(),
                 locale.toString(expected.value(u"confirmed"_s).toInteger()));
    }
    QVERIFY2(actors.contains(u"dora"_s), qPrintable(actors.join(u", ")));
    QVERIFY(actors.contains(u"crm (integration)"_s));
    QVERIFY(byActor->isVisible());

    const QList<QBarSet *> confidence = barSets(view, u"confidenceChartView"_s);
    QCOMPARE(confidence.size(), 3);
    for (const QBarSet *set : confidence) {
        const QJsonArray expected = json[u"confidence"_s][u"by_category"_s][keyOf(set)].toArray();
        QCOMPARE(set->count(), 10);
        for (int bucket = 0; bucket < 10; ++bucket)
            QCOMPARE(qint64(set->at(bucket)), expected.at(bucket).toInteger());
    }

    const QJsonObject byAge = json[u"backlog"_s][u"by_age"_s].toObject();
    const std::pair<const char16_t *, QString> backlogLabels[] = {
        {u"underHourCountLabel", u"under_1h"_s},
        {u"hourToDayCountLabel", u"1h_to_1d"_s},
        {u"dayToWeekCountLabel", u"1d_to_7d"_s},
        {u"overWeekCountLabel", u"over_7d"_s},
    };
    for (const auto &[labelName, key] : backlogLabels) {
        QCOMPARE(view.findChild<QLabel *>(QString::fromUtf16(labelName))->text(),
                 locale.toString(byAge.value(key).toInteger()));
    }
    QCOMPARE(byAge.value(u"over_7d"_s).toInteger(), 1);
    QCOMPARE(view.findChild<QLabel *>(u"oldestAgeLabel"_s)->text(), u"12 d 0 h"_s);

    // The CSV file holds the JSON's numbers, one row per day.
    QTemporaryDir folder;
    const QString csvPath = folder.filePath(u"stats.csv"_s);
    QString error;
    QVERIFY2(view.exportCsv(csvPath, &error), qPrintable(error));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(u"\r\n"_s, Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 8);
    const QStringList header = lines.first().split(u',');
    QCOMPARE(header, (QStringList{u"date"_s, u"technical"_s, u"billing"_s, u"general"_s,
                                  u"unclassified"_s, u"total"_s}));
    for (int day = 0; day < 7; ++day) {
        const QStringList fields = lines.at(day + 1).split(u',');
        QCOMPARE(fields.size(), header.size());
        QCOMPARE(fields.first(), perDay.at(day)[u"date"_s].toString());
        for (qsizetype column = 1; column < header.size(); ++column)
            QCOMPARE(fields.at(column).toLongLong(), perDay.at(day)[header.at(column)].toInteger());
    }

    // The PNG file is a picture of the charts, in the categories' colours.
    const QString pngPath = folder.filePath(u"stats.png"_s);
    QVERIFY2(view.exportPng(pngPath, &error), qPrintable(error));
    const QImage image(pngPath);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 600 && image.height() > 300);
    for (Category category : kAllCategories) {
        const QRgb wanted = CategoryPalette::color(category).rgb();
        bool found = false;
        for (int y = 0; y < image.height() && !found; y += 2) {
            for (int x = 0; x < image.width() && !found; ++x)
                found = image.pixel(x, y) == wanted;
        }
        QVERIFY2(found, qPrintable(CategoryPalette::displayName(category)));
    }

    // For a person to look at: SC_STATSVIEW_SCREENSHOT=path.png saves the whole view.
    const QString screenshot = qEnvironmentVariable("SC_STATSVIEW_SCREENSHOT");
    if (!screenshot.isEmpty())
        QVERIFY(view.grab().save(screenshot));
}

void TestStatsView::rangeSelectionAsksForNewStats()
{
    StatsView view;
    auto *range = view.findChild<QComboBox *>(u"rangeComboBox"_s);
    QVERIFY(range);
    QCOMPARE(range->count(), 3);
    QCOMPARE(view.rangeDays(), 7);
    QVERIFY(!range->accessibleName().isEmpty());

    QSignalSpy asked(&view, &StatsView::rangeChanged);
    range->setCurrentIndex(range->findData(30));
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toInt(), 30);
    QCOMPARE(view.rangeDays(), 30);

    // Stats that arrive for another range move the selector without asking again.
    view.setStats(StatsRepository(m_server->database()).stats(QDateTime::currentDateTimeUtc(), 90));
    QCOMPARE(view.rangeDays(), 90);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(barSets(view, u"dailyChartView"_s).first()->count(), 90);
    QVERIFY(view.findChild<QPushButton *>(u"exportCsvButton"_s)->isEnabled());
}

void TestStatsView::exportFailureIsReported()
{
    StatsView view;
    view.setStats(StatsRepository(m_server->database()).stats(QDateTime::currentDateTimeUtc(), 7));
    QTemporaryDir folder;
    const QString missing = folder.filePath(u"no such folder/stats.csv"_s);
    QString error;
    QVERIFY(!view.exportCsv(missing, &error));
    QVERIFY2(error.contains(u"stats.csv"_s), qPrintable(error));
    error.clear();
    QVERIFY(!view.exportPng(folder.filePath(u"no such folder/stats.png"_s), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(missing));
}

void TestStatsView::learningCurveShowsWhatCorrectionsTaught()
{
    StatsView view;
    view.resize(1100, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *tabs = view.findChild<QTabWidget *>(u"machineTabWidget"_s);
    auto *chartView = view.findChild<QChartView *>(u"learningChartView"_s);
    auto *label = view.findChild<QLabel *>(u"learningLabel"_s);
    QVERIFY(tabs && chartView && label);
    // Beside the confidence histogram, one tab over.
    QCOMPARE(tabs->tabText(1), u"What corrections teach"_s);
    tabs->setCurrentIndex(1);
    // Before any model: how to get one, and no empty chart.
    QVERIFY(!chartView->isVisible());
    QVERIFY2(label->text().contains(u"No learning curve yet"_s), qPrintable(label->text()));

    LearningCurve curve;
    curve.points = {{100, 0.52}, {200, 0.58}, {400, 0.63}, {800, 0.66}};
    curve.heldOut = 250;
    curve.rulesAccuracy = 0.6;
    view.setLearningCurve(curve);
    QVERIFY(chartView->isVisible());
    const QList<QAbstractSeries *> series = chartView->chart()->series();
    QCOMPARE(series.size(), 2);
    const auto *model = qobject_cast<QLineSeries *>(series.at(0));
    const auto *rules = qobject_cast<QLineSeries *>(series.at(1));
    QVERIFY(model && rules);
    QCOMPARE(model->count(), 4);
    QCOMPARE(model->at(3), QPointF(800, 0.66));
    QCOMPARE(rules->count(), 2);
    QCOMPARE(rules->at(1), QPointF(800, 0.6));
    QVERIFY2(label->text().contains(u"66%"_s) && label->text().contains(u"60%"_s) &&
                 label->text().contains(u"800"_s),
             qPrintable(label->text()));

    const QString screenshot = qEnvironmentVariable("SC_STATSVIEW_SCREENSHOT");
    if (!screenshot.isEmpty())
        QVERIFY(view.grab().save(QString(screenshot).replace(u".png"_s, u"-learning.png"_s)));

    view.setLearningCurve({});
    QVERIFY(!chartView->isVisible());
    QCOMPARE(model->count(), 0);
}

void TestStatsView::outcomesShowWhatTheApiServes()
{
    const Actor ada = Actor::user(u"ada"_s);
    MessageRepository messages(m_server->database());
    FeedbackRepository feedback(m_server->database());
    // Two tickets answered, one of them from a remote draft, both rated today; a third rated
    // two days ago; drafts offered by both providers.
    for (int i = 0; i < 3; ++i) {
        const qint64 ticket = addTicket((i == 2 ? 2 * kDay : 0) + 3 * kHour);
        TestClassifications::add(m_server->database(), ticket,
                                 i == 1 ? Category::Technical : Category::Billing,
                                 ClassificationProvider::Rules, 0.8);
        TicketMessage reply;
        reply.ticketId = ticket;
        reply.authorName = ada.name;
        reply.body = u"Done."_s;
        reply.createdAt = Timestamps::fromMs(m_nowMs - (i == 2 ? 2 * kDay : 0) - kHour);
        if (i == 0)
            reply.draft = DraftOrigin{DraftOrigin::kRemoteProvider, u"m"_s, 7};
        QVERIFY(messages.add(reply, ada));
        messages.recordDraftOffer(ticket, DraftOrigin::kRemoteProvider, u"m"_s, ada);
        messages.recordDraftOffer(ticket, DraftOrigin::kLocalProvider, DraftOrigin::kLocalModel,
                                  ada);
        QVERIFY(feedback.record(Feedback{ticket,
                                         5 - 2 * i,
                                         {},
                                         i == 0,
                                         u"survey"_s,
                                         Timestamps::fromMs(m_nowMs - (i == 2 ? 2 * kDay : 0))}));
    }
    const QJsonObject json = m_server->client().get(u"/stats?days=7"_s).json();
    const TicketStats stats =
        StatsRepository(m_server->database()).stats(QDateTime::currentDateTimeUtc(), 7);
    StatsView view;
    view.resize(1100, 680);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setStats(stats);

    // The average rating of each rated day is a point over that day's bars.
    QLineSeries *ratings = nullptr;
    const QList<QAbstractSeries *> series =
        view.findChild<QChartView *>(u"dailyChartView"_s)->chart()->series();
    for (QAbstractSeries *candidate : series)
        ratings = ratings ? ratings : qobject_cast<QLineSeries *>(candidate);
    QVERIFY(ratings);
    QCOMPARE(ratings->count(), 2);
    const QJsonArray perDay = json.value(u"per_day"_s).toArray();
    for (const QPointF &point : ratings->points()) {
        QCOMPARE(point.y(),
                 perDay.at(qRound(point.x()))[u"satisfaction"_s][u"average_rating"_s].toDouble());
    }
    QCOMPARE(ratings->at(1), QPointF(6, 4.0));

    auto *tabs = view.findChild<QTabWidget *>(u"trendsTabWidget"_s);
    tabs->setCurrentWidget(view.findChild<QWidget *>(u"outcomesTab"_s));
    const QLocale locale;
    auto text = [&view](const QString &table, int row, int column) {
        const QTableWidgetItem *item = view.findChild<QTableWidget *>(table)->item(row, column);
        return item ? item->text() : QString();
    };
    const auto billing = int(Category::Billing);
    QCOMPARE(text(u"satisfactionTableWidget"_s, billing, 0), locale.toString(2));
    QCOMPARE(text(u"satisfactionTableWidget"_s, billing, 1),
             u"%1 / 5"_s.arg(locale.toString(3.0, 'f', 2)));
    const int drafted = int(kAllCategories.size());
    QCOMPARE(text(u"satisfactionTableWidget"_s, drafted, 1),
             u"%1 / 5"_s.arg(locale.toString(5.0, 'f', 2)));
    QCOMPARE(text(u"satisfactionTableWidget"_s, drafted, 2),
             u"%1 %"_s.arg(locale.toString(100.0, 'f', 1)));
    QCOMPARE(text(u"satisfactionTableWidget"_s, drafted + 2, 0), locale.toString(3));
    QCOMPARE(json[u"satisfaction"_s][u"ratings"_s].toInteger(), 3);

    QCOMPARE(text(u"responseTableWidget"_s, 0, 0), locale.toString(3));
    QCOMPARE(text(u"responseTableWidget"_s, 0, 1), u"2 h 0 min"_s);
    QCOMPARE(text(u"responseTableWidget"_s, 0, 3), locale.toString(3)); // 1 h to 1 d
    QCOMPARE(text(u"responseTableWidget"_s, 1, 0), locale.toString(0));
    QCOMPARE(text(u"responseTableWidget"_s, 1, 1), u"–"_s);

    auto *drafts = view.findChild<QTableWidget *>(u"draftsTableWidget"_s);
    QCOMPARE(drafts->rowCount(), 2);
    QCOMPARE(text(u"draftsTableWidget"_s, 0, 0), u"Similar tickets"_s);
    QCOMPARE(text(u"draftsTableWidget"_s, 1, 0), u"Remote model"_s);
    QCOMPARE(text(u"draftsTableWidget"_s, 1, 1), locale.toString(3));
    QCOMPARE(text(u"draftsTableWidget"_s, 1, 2), locale.toString(1));
    QCOMPARE(text(u"draftsTableWidget"_s, 1, 3), u"%1 %"_s.arg(locale.toString(100.0 / 3, 'f', 1)));
    QCOMPARE(text(u"draftsTableWidget"_s, 1, 4), locale.toString(7.0, 'f', 1));
    QCOMPARE(text(u"draftsTableWidget"_s, 0, 3), u"%1 %"_s.arg(locale.toString(0.0, 'f', 1)));
    QVERIFY(drafts->isVisible());

    // A range without any shows no table of drafts, and says so.
    view.setStats(TicketStats::emptyWindow(QDate::currentDate(), 7));
    QVERIFY(!drafts->isVisible());
    QVERIFY(view.findChild<QLabel *>(u"draftsLabel"_s)->text().contains(u"none offered"_s));
}

QTEST_MAIN(TestStatsView)
#include "tst_statsview.moc"
