#include "statsview.h"

#include "accountlabels.h"
#include "categorypalette.h"
#include "feedback.h"
#include "statsformat.h"
#include "ui_statsview.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPen>
#include <QPixmap>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QStackedBarSeries>
#include <QTableWidgetItem>
#include <QToolTip>
#include <QValueAxis>

namespace {

enum CorrectionsColumn { Corrected, Confirmed, Rate, ColumnCount };
constexpr int kMaxActorTableHeight = 180;

std::size_t index(Category category)
{
    return static_cast<std::size_t>(category);
}

QString unclassifiedName()
{
    return StatsView::tr("Unclassified");
}

void replaceValues(QBarSet *set, const QList<qreal> &values)
{
    set->remove(0, set->count());
    set->append(values);
}

} // namespace

StatsView::StatsView(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::StatsView>())
{
    m_ui->setupUi(this);
    for (int days : kRangeChoices)
        m_ui->rangeComboBox->addItem(tr("Last %1 days").arg(days), days);

    setUpDailyChart();
    setUpConfidenceChart();
    setUpLearningChart();
    setUpCorrectionsTable();
    followPalette();

    connect(m_ui->rangeComboBox, &QComboBox::currentIndexChanged, this, [this](int comboIndex) {
        Q_EMIT rangeChanged(m_ui->rangeComboBox->itemData(comboIndex).toInt());
    });
    connect(m_ui->exportPngButton, &QPushButton::clicked, this, &StatsView::chooseAndExportPng);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &StatsView::chooseAndExportCsv);

    setStats(TicketStats{});
}

StatsView::~StatsView() = default;

void StatsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        followPalette();
    QWidget::changeEvent(event);
}

void StatsView::followPalette()
{
    for (QChart *chart : {m_dailyChart, m_confidenceChart})
        StatsFormat::followPalette(chart, palette());
    m_ratingSeries->setColor(palette().color(QPalette::Text));
}

void StatsView::setUpDailyChart()
{
    m_dailyChart = new QChart;
    m_dailyChart->setTitle(tr("Tickets per day (UTC)"));
    m_dailyChart->setAnimationOptions(QChart::NoAnimation);
    m_dailyChart->legend()->setAlignment(Qt::AlignBottom);
    m_dailyChart->legend()->setVisible(true);

    m_dailySeries = new QStackedBarSeries;
    m_dailySeries->setBarWidth(0.8);
    for (Category category : kAllCategories)
        m_dailySeries->append(StatsFormat::newBarSet(CategoryPalette::displayName(category),
                                                     CategoryPalette::color(category)));
    m_dailySeries->append(
        StatsFormat::newBarSet(unclassifiedName(), CategoryPalette::unclassifiedColor()));
    m_dailyChart->addSeries(m_dailySeries);

    // Values, not QBarCategoryAxis, because a bar category axis labels every bar: 90 dates
    // cannot fit under 90 thin bars. Bar i stands at x = i; a few of them carry their date.
    m_dayAxis = new QCategoryAxis;
    m_dayAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_dayAxis->setGridLineVisible(false);
    m_dailyChart->addAxis(m_dayAxis, Qt::AlignBottom);
    m_dailySeries->attachAxis(m_dayAxis);
    m_dailyCountAxis = StatsFormat::newCountAxis();
    m_dailyChart->addAxis(m_dailyCountAxis, Qt::AlignLeft);
    m_dailySeries->attachAxis(m_dailyCountAxis);

    // The customers' average rating of each day on its own scale, over the bars of that day.
    m_ratingSeries = new QLineSeries;
    m_ratingSeries->setName(tr("Rating"));
    m_ratingSeries->setPointsVisible(true);
    m_dailyChart->addSeries(m_ratingSeries);
    m_ratingSeries->attachAxis(m_dayAxis);
    m_ratingAxis = new QValueAxis;
    m_ratingAxis->setRange(0, Feedback::kMaxRating);
    m_ratingAxis->setTickType(QValueAxis::TicksDynamic);
    m_ratingAxis->setTickAnchor(0);
    m_ratingAxis->setTickInterval(1);
    m_ratingAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_ratingAxis->setGridLineVisible(false);
    m_ratingAxis->setTitleText(tr("Rating"));
    m_dailyChart->addAxis(m_ratingAxis, Qt::AlignRight);
    m_ratingSeries->attachAxis(m_ratingAxis);
    connect(
        m_ratingSeries, &QLineSeries::hovered, this, [this](const QPointF &point, bool entered) {
            const qsizetype day = qRound(point.x());
            if (!entered || day < 0 || day >= m_stats.days.size()) {
                QToolTip::hideText();
                return;
            }
            const TicketStats::Day &shown = m_stats.days.at(day);
            const std::optional<double> average = shown.satisfaction.averageRating();
            if (average)
                QToolTip::showText(QCursor::pos(), tr("%1: average rating %2 from %n rating(s)",
                                                      nullptr, int(shown.satisfaction.ratings))
                                                       .arg(shown.date.toString(Qt::ISODate),
                                                            QLocale().toString(*average, 'f', 2)));
        });

    for (QBarSet *set : m_dailySeries->barSets()) {
        connect(set, &QBarSet::hovered, this, [this, set](bool entered, int dayIndex) {
            if (dayIndex < m_stats.days.size())
                showBarTip(set, entered, dayIndex,
                           m_stats.days.at(dayIndex).date.toString(Qt::ISODate));
        });
    }
    // The view's width decides how many dates fit under the plot. Not the plot area's: the
    // labels themselves move its edges, and could make the choice flip back and forth.
    m_ui->dailyChartView->installEventFilter(this);
    StatsFormat::installChart(m_ui->dailyChartView, m_dailyChart);
    m_ui->dailyChartView->setRenderHint(QPainter::Antialiasing);
}

void StatsView::setUpConfidenceChart()
{
    m_confidenceChart = new QChart;
    m_confidenceChart->setAnimationOptions(QChart::NoAnimation);
    // The daily chart's legend names the same colours.
    m_confidenceChart->legend()->setVisible(false);
    m_confidenceChart->setMargins(QMargins(2, 2, 2, 2));

    m_confidenceSeries = new QStackedBarSeries;
    m_confidenceSeries->setBarWidth(0.8);
    for (Category category : kAllCategories)
        m_confidenceSeries->append(StatsFormat::newBarSet(CategoryPalette::displayName(category),
                                                          CategoryPalette::color(category)));
    m_confidenceChart->addSeries(m_confidenceSeries);

    // The buckets' edges rather than a label per bar: ten labels do not fit under ten bars of a
    // side panel, and a histogram reads from its edges anyway. Bar i stands at x = i.
    m_confidenceAxis = new QCategoryAxis;
    m_confidenceAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_confidenceAxis->setGridLineVisible(false);
    m_confidenceAxis->setTitleText(tr("Confidence"));
    m_confidenceAxis->setStartValue(-0.5);
    for (int edge = 0; edge <= TicketStats::kConfidenceBuckets; edge += 2) {
        m_confidenceAxis->append(
            QLocale().toString(double(edge) / TicketStats::kConfidenceBuckets, 'f', 1), edge - 0.5);
    }
    m_confidenceAxis->setRange(-0.5, TicketStats::kConfidenceBuckets - 0.5);
    m_confidenceChart->addAxis(m_confidenceAxis, Qt::AlignBottom);
    m_confidenceSeries->attachAxis(m_confidenceAxis);
    m_confidenceCountAxis = StatsFormat::newCountAxis();
    m_confidenceChart->addAxis(m_confidenceCountAxis, Qt::AlignLeft);
    m_confidenceSeries->attachAxis(m_confidenceCountAxis);

    for (QBarSet *set : m_confidenceSeries->barSets()) {
        connect(set, &QBarSet::hovered, this, [this, set](bool entered, int bucket) {
            const QLocale locale;
            const double width = 1.0 / TicketStats::kConfidenceBuckets;
            const bool last = bucket == TicketStats::kConfidenceBuckets - 1;
            showBarTip(set, entered, bucket,
                       (last ? tr("confidence %1 to %2") : tr("confidence %1 to under %2"))
                           .arg(locale.toString(bucket * width, 'f', 1),
                                locale.toString((bucket + 1) * width, 'f', 1)));
        });
    }
    StatsFormat::installChart(m_ui->confidenceChartView, m_confidenceChart);
    m_ui->confidenceChartView->setRenderHint(QPainter::Antialiasing);
}

void StatsView::setUpLearningChart()
{
    m_learningChart = new QChart;
    m_learningChart->setAnimationOptions(QChart::NoAnimation);
    m_learningChart->setMargins(QMargins(2, 2, 2, 2));
    m_modelSeries = new QLineSeries;
    m_modelSeries->setName(tr("Local model"));
    m_modelSeries->setPointsVisible(true);
    m_rulesSeries = new QLineSeries;
    m_rulesSeries->setName(tr("Built-in rules"));
    QPen dashed = m_rulesSeries->pen();
    dashed.setStyle(Qt::DashLine);
    m_rulesSeries->setPen(dashed);
    m_learningChart->addSeries(m_modelSeries);
    m_learningChart->addSeries(m_rulesSeries);
    m_ticketsAxis = new QValueAxis;
    m_ticketsAxis->setTitleText(tr("Labelled tickets"));
    m_ticketsAxis->setLabelFormat(QStringLiteral("%d"));
    m_accuracyAxis = new QValueAxis;
    m_accuracyAxis->setTitleText(tr("Right"));
    m_accuracyAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_accuracyAxis->setRange(0.0, 1.0);
    m_accuracyAxis->setTickCount(6);
    m_learningChart->addAxis(m_ticketsAxis, Qt::AlignBottom);
    m_learningChart->addAxis(m_accuracyAxis, Qt::AlignLeft);
    for (QLineSeries *series : {m_modelSeries, m_rulesSeries}) {
        series->attachAxis(m_ticketsAxis);
        series->attachAxis(m_accuracyAxis);
    }
    StatsFormat::installChart(m_ui->learningChartView, m_learningChart);
    m_ui->learningChartView->setRenderHint(QPainter::Antialiasing);
    setLearningCurve({});
}

void StatsView::setLearningCurve(const LearningCurve &curve)
{
    QList<QPointF> model;
    for (const LearningCurve::Point &point : curve.points)
        model.append(QPointF(qreal(point.tickets), point.accuracy));
    m_modelSeries->replace(model);
    const qreal last = model.isEmpty() ? 1.0 : model.constLast().x();
    m_rulesSeries->replace(model.isEmpty() ? QList<QPointF>()
                                           : QList<QPointF>{QPointF(0.0, curve.rulesAccuracy),
                                                            QPointF(last, curve.rulesAccuracy)});
    m_ticketsAxis->setRange(0.0, last);
    m_ui->learningChartView->setVisible(!model.isEmpty());
    const QLocale locale;
    if (model.isEmpty()) {
        m_ui->learningLabel->setText(
            tr("No learning curve yet: it comes with a linear model trained on at least 125 of "
               "the team's labelled tickets. Confirm or correct categories (Review Queue, "
               "Ctrl+R); the console retrains as verdicts arrive and shows here what they "
               "taught it."));
    } else {
        m_ui->learningLabel->setText(
            tr("On %1 tickets it had not seen: %2 right after %3 labelled tickets, against %4 "
               "for the built-in rules.")
                .arg(locale.toString(curve.heldOut),
                     locale.toString(100.0 * curve.points.back().accuracy, 'f', 0) + u'%',
                     locale.toString(curve.points.back().tickets),
                     locale.toString(100.0 * curve.rulesAccuracy, 'f', 0) + u'%'));
    }
}

void StatsView::setUpCorrectionsTable()
{
    QTableWidget *table = m_ui->correctionsTableWidget;
    table->setColumnCount(ColumnCount);
    table->setHorizontalHeaderLabels({tr("Corrected"), tr("Confirmed"), tr("Rate")});
    table->setRowCount(int(kAllCategories.size()) + 1);
    for (Category category : kAllCategories) {
        table->setVerticalHeaderItem(
            int(index(category)),
            new QTableWidgetItem(StatsFormat::swatch(CategoryPalette::color(category)),
                                 CategoryPalette::displayName(category)));
    }
    table->setVerticalHeaderItem(int(kAllCategories.size()), new QTableWidgetItem(tr("All")));
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Four short rows: all of them always, rather than a scroll bar that hides the sum.
    table->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    table->horizontalHeaderItem(Rate)->setToolTip(
        tr("Corrected out of all agent verdicts on that category"));

    QTableWidget *byActor = m_ui->correctionsByActorTableWidget;
    byActor->setColumnCount(ColumnCount);
    byActor->setHorizontalHeaderLabels({tr("Corrected"), tr("Confirmed"), tr("Rate")});
    byActor->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    byActor->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    byActor->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    byActor->horizontalHeaderItem(Rate)->setToolTip(
        tr("Corrected out of all the verdicts this person or integration gave"));
}

int StatsView::rangeDays() const
{
    return m_ui->rangeComboBox->currentData().toInt();
}

void StatsView::setStats(const TicketStats &stats)
{
    m_stats = stats;
    // Follow the stats shown without asking for them again.
    const int shownIndex = m_ui->rangeComboBox->findData(int(m_stats.days.size()));
    if (shownIndex >= 0) {
        const QSignalBlocker blocker(m_ui->rangeComboBox);
        m_ui->rangeComboBox->setCurrentIndex(shownIndex);
    }
    const bool hasDays = !m_stats.days.isEmpty();
    m_ui->exportPngButton->setEnabled(hasDays);
    m_ui->exportCsvButton->setEnabled(hasDays);

    showDaily();
    showTotals();
    showCorrections();
    showConfidence();
    showBacklog();
    m_ui->outcomesPanel->setStats(m_stats);
}

void StatsView::showDaily()
{
    std::array<QList<qreal>, kAllCategories.size() + 1> values;
    qint64 highest = 0;
    for (const TicketStats::Day &day : std::as_const(m_stats.days)) {
        for (Category category : kAllCategories)
            values[index(category)].append(qreal(day.perCategory[index(category)]));
        values.back().append(qreal(day.unclassified));
        highest = std::max(highest, day.total());
    }
    const QList<QBarSet *> sets = m_dailySeries->barSets();
    for (std::size_t i = 0; i < values.size(); ++i)
        replaceValues(sets.at(qsizetype(i)), values[i]);

    m_dayLabelStep = 0;
    labelDays();
    StatsFormat::setCountRange(m_dailyCountAxis, highest);

    // Days without a rating have no point, and the line joins the days around them.
    QList<QPointF> ratings;
    for (qsizetype day = 0; day < m_stats.days.size(); ++day) {
        if (const std::optional<double> average = m_stats.days.at(day).satisfaction.averageRating())
            ratings.append(QPointF(qreal(day), *average));
    }
    m_ratingSeries->replace(ratings);
}

void StatsView::labelDays()
{
    // As many dates as fit side by side under the plot, every 1, 2, 3, 7, 14 or 28 days,
    // counted back from today so that the newest day always has one.
    const qsizetype dayCount = m_stats.days.size();
    const QFontMetrics metrics(m_dayAxis->labelsFont());
    const qreal labelWidth =
        metrics.horizontalAdvance(QStringLiteral("00-00")) + 2 * metrics.height();
    // The value axis, its labels and the margins take about this much beside the plot.
    constexpr int kBesidePlot = 100;
    const qreal plotWidth = m_ui->dailyChartView->width() - kBesidePlot;
    const auto fits = qsizetype(std::max<qreal>(1, plotWidth / labelWidth));
    qsizetype step = 1;
    for (qsizetype candidate : {1, 2, 3, 7, 14, 28}) {
        step = candidate;
        if ((dayCount + candidate - 1) / candidate <= fits)
            break;
    }
    if (step == m_dayLabelStep)
        return;
    m_dayLabelStep = step;

    for (const QString &label : m_dayAxis->categoriesLabels())
        m_dayAxis->remove(label);
    m_dayAxis->setStartValue(-0.5);
    for (qsizetype i = dayCount > 0 ? (dayCount - 1) % step : 0; i < dayCount; i += step)
        m_dayAxis->append(m_stats.days.at(i).date.toString(QStringLiteral("MM-dd")), qreal(i));
    m_dayAxis->setRange(-0.5, qreal(std::max<qsizetype>(dayCount, 1)) - 0.5);
}

bool StatsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui->dailyChartView && event->type() == QEvent::Resize)
        labelDays();
    return QWidget::eventFilter(watched, event);
}

void StatsView::showTotals()
{
    if (m_stats.days.isEmpty()) {
        m_ui->totalsLabel->clear();
        return;
    }
    const QLocale locale;
    const std::array<qint64, TicketStats::kCategoryCount> totals = m_stats.totalsPerCategory();
    QStringList parts;
    for (Category category : kAllCategories)
        parts.append(tr("%1: %2").arg(CategoryPalette::displayName(category),
                                      locale.toString(totals[index(category)])));
    parts.append(
        tr("%1: %2").arg(unclassifiedName(), locale.toString(m_stats.unclassifiedTotal())));
    const QString text =
        tr("Total: %1 tickets from %2 to %3 (UTC)")
            .arg(locale.toString(m_stats.total()), m_stats.days.first().date.toString(Qt::ISODate),
                 m_stats.days.last().date.toString(Qt::ISODate)) +
        QStringLiteral("  ·  ") + parts.join(QStringLiteral("  ·  "));
    m_ui->totalsLabel->setText(text);
    // A screen reader cannot read bars; the totals say what they add up to.
    m_ui->dailyChartView->setAccessibleDescription(text);
}

void StatsView::showCorrections()
{
    const QLocale locale;
    QTableWidget *table = m_ui->correctionsTableWidget;
    auto showRow = [&](int row, const TicketStats::Corrections &corrections) {
        table->setItem(row, Corrected,
                       StatsFormat::numberItem(locale.toString(corrections.corrected)));
        table->setItem(row, Confirmed,
                       StatsFormat::numberItem(locale.toString(corrections.confirmed)));
        table->setItem(row, Rate, StatsFormat::numberItem(StatsFormat::rate(corrections.rate())));
    };
    for (Category category : kAllCategories)
        showRow(int(index(category)), m_stats.corrections[index(category)]);
    showRow(int(kAllCategories.size()), m_stats.allCorrections());

    table = m_ui->correctionsByActorTableWidget;
    table->setRowCount(int(m_stats.correctionsByActor.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
        const TicketStats::ActorCorrections &entry = m_stats.correctionsByActor.at(row);
        table->setVerticalHeaderItem(row, new QTableWidgetItem(AccountLabels::actor(entry.actor)));
        showRow(row, entry.corrections);
    }
    m_ui->correctionsByActorLabel->setText(m_stats.correctionsByActor.isEmpty()
                                               ? tr("By person and integration: no verdicts yet.")
                                               : tr("By person and integration:"));
    table->setVisible(!m_stats.correctionsByActor.isEmpty());
    // As tall as its rows, up to a few, then it scrolls.
    StatsFormat::fitToRows(table, kMaxActorTableHeight);
}

void StatsView::showConfidence()
{
    qint64 highest = 0;
    const QList<QBarSet *> sets = m_confidenceSeries->barSets();
    for (Category category : kAllCategories) {
        QList<qreal> values;
        for (qint64 count : m_stats.confidence[index(category)])
            values.append(qreal(count));
        replaceValues(sets.at(qsizetype(index(category))), values);
    }
    for (int bucket = 0; bucket < TicketStats::kConfidenceBuckets; ++bucket) {
        qint64 stacked = 0;
        for (const TicketStats::ConfidenceHistogram &histogram : m_stats.confidence)
            stacked += histogram[std::size_t(bucket)];
        highest = std::max(highest, stacked);
    }
    StatsFormat::setCountRange(m_confidenceCountAxis, highest);
}

void StatsView::showBacklog()
{
    const QLocale locale;
    const TicketStats::Backlog &backlog = m_stats.backlog;
    using Age = TicketStats::BacklogAge;
    const std::pair<Age, QLabel *> rows[] = {
        {Age::UnderHour, m_ui->underHourCountLabel},
        {Age::UnderDay, m_ui->hourToDayCountLabel},
        {Age::UnderWeek, m_ui->dayToWeekCountLabel},
        {Age::OverWeek, m_ui->overWeekCountLabel},
    };
    for (const auto &[age, label] : rows)
        label->setText(locale.toString(backlog.byAge[std::size_t(age)]));
    m_ui->backlogTotalCountLabel->setText(locale.toString(backlog.total()));
    m_ui->oldestAgeLabel->setText(
        backlog.oldestAgeSeconds ? StatsFormat::age(*backlog.oldestAgeSeconds) : tr("none"));
    m_ui->backlogGroupBox->setToolTip(
        backlog.asOf.isValid()
            ? tr("Every open or in-progress ticket, whatever the range, as of %1 UTC")
                  .arg(backlog.asOf.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
            : tr("Every open or in-progress ticket, whatever the range"));
}

void StatsView::showBarTip(QBarSet *set, bool entered, int barIndex, const QString &where)
{
    if (!entered) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(
        QCursor::pos(),
        tr("%1, %2: %3").arg(set->label(), where, QLocale().toString(qint64(set->at(barIndex)))));
}

QByteArray StatsView::csv() const
{
    // Machine names in the header, as in the API's JSON, so scripts read it in any language.
    QStringList header{QStringLiteral("date")};
    for (Category category : kAllCategories)
        header.append(categoryName(category));
    header << QStringLiteral("unclassified") << QStringLiteral("total");

    // RFC 4180 ends lines with CRLF; no field needs quoting.
    QString text = header.join(u',') + QStringLiteral("\r\n");
    for (const TicketStats::Day &day : m_stats.days) {
        QStringList row{day.date.toString(Qt::ISODate)};
        for (Category category : kAllCategories)
            row.append(QString::number(day.perCategory[index(category)]));
        row << QString::number(day.unclassified) << QString::number(day.total());
        text += row.join(u',') + QStringLiteral("\r\n");
    }
    return text.toUtf8();
}

bool StatsView::exportCsv(const QString &path, QString *errorMessage) const
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(csv()) >= 0 && file.commit())
        return true;
    if (errorMessage)
        *errorMessage =
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
}

bool StatsView::exportPng(const QString &path, QString *errorMessage)
{
    // The charts and the figures beside them, without the buttons.
    const QPixmap picture = m_ui->contentWidget->grab();
    QSaveFile file(path);
    if (!picture.isNull() && file.open(QIODevice::WriteOnly) && picture.save(&file, "PNG") &&
        file.commit())
        return true;
    if (errorMessage)
        *errorMessage =
            tr("Could not save %1: %2")
                .arg(QDir::toNativeSeparators(path), file.error() != QFileDevice::NoError
                                                         ? file.errorString()
                                                         : tr("the picture could not be encoded"));
    return false;
}

void StatsView::chooseAndExportPng()
{
    const QString suggested =
        QStringLiteral("ticket-stats-%1.png").arg(m_stats.days.last().date.toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart as PNG"), suggested,
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPng(path, &error))
        QMessageBox::warning(this, tr("Export PNG"), error);
}

void StatsView::chooseAndExportCsv()
{
    const QString suggested =
        QStringLiteral("ticket-stats-%1.csv").arg(m_stats.days.last().date.toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Tickets per Day as CSV"),
                                                      suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export CSV"), error);
}
