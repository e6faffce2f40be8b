#include "outcomespanel.h"

#include "categorypalette.h"
#include "statsformat.h"
#include "ticketmessage.h"
#include "ui_outcomespanel.h"

#include <QHeaderView>
#include <QLocale>
#include <QTableWidgetItem>

namespace {

enum SatisfactionColumn { Ratings, AverageRating, ResolvedRate, SatisfactionColumns };
enum ResponseRow { FirstReplyRow, ResolutionRow, ResponseRows };
enum ResponseColumn { Count, AverageTime, FirstAgeColumn, ResponseColumns = FirstAgeColumn + 4 };
enum DraftColumn { Provider, Offered, Sent, Acceptance, AverageEdits, DraftColumns };
enum AutoResolveColumn { Threshold, AutoResolved, AutoResolveRate, Reopened, ReopenRate };

QString providerName(const QString &provider)
{
    if (provider == DraftOrigin::kRemoteProvider)
        return OutcomesPanel::tr("Remote model");
    if (provider == DraftOrigin::kLocalProvider)
        return OutcomesPanel::tr("Similar tickets");
    return provider;
}

QString averageRating(const TicketStats::Satisfaction &satisfaction)
{
    const std::optional<double> average = satisfaction.averageRating();
    return average ? OutcomesPanel::tr("%1 / 5").arg(QLocale().toString(*average, 'f', 2))
                   : OutcomesPanel::tr("–");
}

void setUpTable(QTableWidget *table, const QStringList &columns)
{
    table->setColumnCount(int(columns.size()));
    table->setHorizontalHeaderLabels(columns);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    StatsFormat::keepFittedToRows(table, QWIDGETSIZE_MAX);
}

} // namespace

OutcomesPanel::OutcomesPanel(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::OutcomesPanel>())
{
    m_ui->setupUi(this);
    setUpTables();
    setStats(TicketStats{});
}

OutcomesPanel::~OutcomesPanel() = default;

void OutcomesPanel::setUpTables()
{
    QTableWidget *satisfaction = m_ui->satisfactionTableWidget;
    setUpTable(satisfaction, {tr("Ratings"), tr("Average"), tr("Resolved")});
    satisfaction->horizontalHeaderItem(ResolvedRate)
        ->setToolTip(tr("Ratings whose customer said the issue was resolved"));
    satisfaction->setRowCount(int(kAllCategories.size()) + 3);
    for (Category category : kAllCategories) {
        satisfaction->setVerticalHeaderItem(
            int(category),
            new QTableWidgetItem(StatsFormat::swatch(CategoryPalette::color(category)),
                                 CategoryPalette::displayName(category)));
    }
    const int afterCategories = int(kAllCategories.size());
    auto *drafted = new QTableWidgetItem(tr("Reply began as an AI draft"));
    drafted->setToolTip(tr("Tickets with a public reply that started from an AI draft"));
    satisfaction->setVerticalHeaderItem(afterCategories, drafted);
    auto *written = new QTableWidgetItem(tr("Other tickets"));
    written->setToolTip(tr("Tickets whose public replies were all written without a draft"));
    satisfaction->setVerticalHeaderItem(afterCategories + 1, written);
    satisfaction->setVerticalHeaderItem(afterCategories + 2, new QTableWidgetItem(tr("All")));

    QStringList responseColumns{tr("Count"), tr("Average")};
    responseColumns << tr("< 1 h") << tr("1 h – 1 d") << tr("1 – 7 d") << tr("≥ 7 d");
    QTableWidget *response = m_ui->responseTableWidget;
    setUpTable(response, responseColumns);
    // "1 d 13 h" must show whole; the counts take what is left.
    response->horizontalHeader()->setSectionResizeMode(AverageTime, QHeaderView::ResizeToContents);
    response->horizontalHeaderItem(FirstAgeColumn)->setToolTip(tr("Under an hour"));
    response->horizontalHeaderItem(FirstAgeColumn + 3)->setToolTip(tr("Seven days or more"));
    response->setRowCount(ResponseRows);
    auto *firstReply = new QTableWidgetItem(tr("First reply"));
    firstReply->setToolTip(
        tr("The team's first public reply to each ticket, counted on the day it was sent"));
    response->setVerticalHeaderItem(FirstReplyRow, firstReply);
    auto *resolution = new QTableWidgetItem(tr("Resolution"));
    resolution->setToolTip(
        tr("Each ticket's first resolution or closing, counted on the day it happened"));
    response->setVerticalHeaderItem(ResolutionRow, resolution);

    QTableWidget *drafts = m_ui->draftsTableWidget;
    setUpTable(drafts,
               {tr("Provider"), tr("Offered"), tr("Sent"), tr("Acceptance"), tr("Avg. edits")});
    // Rows come and go with the providers: named in a column, sized like the other tables.
    drafts->verticalHeader()->hide();
    drafts->horizontalHeader()->setSectionResizeMode(Provider, QHeaderView::ResizeToContents);
    drafts->horizontalHeaderItem(Acceptance)
        ->setToolTip(tr("Replies sent from drafts out of "
                        "the drafts offered"));
    drafts->horizontalHeaderItem(AverageEdits)
        ->setToolTip(tr("Characters the agent changed before sending, on average"));

    QTableWidget *autoResolve = m_ui->autoResolveTableWidget;
    setUpTable(autoResolve,
               {tr("Threshold"), tr("Resolved"), tr("Rate"), tr("Reopened"), tr("Reopen rate")});
    autoResolve->horizontalHeaderItem(Threshold)->setToolTip(
        tr("The category's auto-resolve threshold now (Admin › Auto-resolve…)"));
    autoResolve->horizontalHeaderItem(AutoResolveRate)
        ->setToolTip(tr("Auto-resolved tickets out of the tickets that came in the range"));
    autoResolve->horizontalHeaderItem(ReopenRate)
        ->setToolTip(tr("Auto-resolved tickets whose customer wrote again, reopening them"));
    autoResolve->setRowCount(int(kAllCategories.size()) + 1);
    for (Category category : kAllCategories) {
        autoResolve->setVerticalHeaderItem(
            int(category),
            new QTableWidgetItem(StatsFormat::swatch(CategoryPalette::color(category)),
                                 CategoryPalette::displayName(category)));
    }
    autoResolve->setVerticalHeaderItem(int(kAllCategories.size()), new QTableWidgetItem(tr("All")));
}

void OutcomesPanel::setStats(const TicketStats &stats)
{
    showSatisfaction(stats);
    showResponseTimes(stats);
    showDrafts(stats);
    showAutoResolve(stats);
}

void OutcomesPanel::showSatisfaction(const TicketStats &stats)
{
    const QLocale locale;
    QTableWidget *table = m_ui->satisfactionTableWidget;
    auto showRow = [&](int row, const TicketStats::Satisfaction &satisfaction) {
        table->setItem(row, Ratings,
                       StatsFormat::numberItem(locale.toString(satisfaction.ratings)));
        table->setItem(row, AverageRating, StatsFormat::numberItem(averageRating(satisfaction)));
        table->setItem(row, ResolvedRate,
                       StatsFormat::numberItem(StatsFormat::rate(satisfaction.resolvedRate())));
    };
    for (Category category : kAllCategories)
        showRow(int(category), stats.satisfaction[static_cast<std::size_t>(category)]);
    const int afterCategories = int(kAllCategories.size());
    showRow(afterCategories, stats.satisfactionWithAiDraft);
    showRow(afterCategories + 1, stats.satisfactionWithoutAiDraft);
    showRow(afterCategories + 2, stats.allSatisfaction());
}

void OutcomesPanel::showResponseTimes(const TicketStats &stats)
{
    const QLocale locale;
    QTableWidget *table = m_ui->responseTableWidget;
    auto showRow = [&](int row, const TicketStats::ResponseTimes &times) {
        table->setItem(row, Count, StatsFormat::numberItem(locale.toString(times.count())));
        const std::optional<qint64> average = times.averageSeconds();
        table->setItem(row, AverageTime,
                       StatsFormat::numberItem(average ? StatsFormat::age(*average) : tr("–")));
        for (std::size_t age = 0; age < times.byAge.size(); ++age) {
            table->setItem(row, FirstAgeColumn + int(age),
                           StatsFormat::numberItem(locale.toString(times.byAge[age])));
        }
    };
    showRow(FirstReplyRow, stats.firstReply);
    showRow(ResolutionRow, stats.resolution);
}

void OutcomesPanel::showDrafts(const TicketStats &stats)
{
    const QLocale locale;
    QTableWidget *table = m_ui->draftsTableWidget;
    // Shown before its rows are sized, or they are sized for a table nobody sees.
    table->setVisible(!stats.drafts.isEmpty());
    table->setRowCount(int(stats.drafts.size()));
    for (int row = 0; row < table->rowCount(); ++row) {
        const TicketStats::DraftUse &use = stats.drafts.at(row);
        table->setItem(row, Provider, new QTableWidgetItem(providerName(use.provider)));
        table->setItem(row, Offered, StatsFormat::numberItem(locale.toString(use.offered)));
        table->setItem(row, Sent, StatsFormat::numberItem(locale.toString(use.sent)));
        table->setItem(row, Acceptance,
                       StatsFormat::numberItem(StatsFormat::rate(use.acceptanceRate())));
        const std::optional<double> edits = use.averageEdits();
        table->setItem(row, AverageEdits,
                       StatsFormat::numberItem(edits ? locale.toString(*edits, 'f', 1) : tr("–")));
    }
    m_ui->draftsLabel->setText(stats.drafts.isEmpty()
                                   ? tr("AI &drafts: none offered in the range.")
                                   : tr("AI &drafts: offered in the range, and replies sent "
                                        "from them"));
}

void OutcomesPanel::showAutoResolve(const TicketStats &stats)
{
    const QLocale locale;
    QTableWidget *table = m_ui->autoResolveTableWidget;
    auto showRow = [&](int row, const TicketStats::AutoResolution &counts,
                       std::optional<Category> category) {
        table->setItem(row, AutoResolved,
                       StatsFormat::numberItem(locale.toString(counts.resolved)));
        table->setItem(row, AutoResolveRate,
                       StatsFormat::numberItem(StatsFormat::rate(stats.autoResolveRate(category))));
        table->setItem(row, Reopened, StatsFormat::numberItem(locale.toString(counts.reopened)));
        table->setItem(row, ReopenRate,
                       StatsFormat::numberItem(StatsFormat::rate(counts.reopenRate())));
    };
    for (Category category : kAllCategories) {
        const TicketStats::AutoResolution &counts =
            stats.autoResolve[static_cast<std::size_t>(category)];
        table->setItem(int(category), Threshold,
                       StatsFormat::numberItem(counts.threshold
                                                   ? locale.toString(*counts.threshold, 'f', 2)
                                                   : tr("off")));
        showRow(int(category), counts, category);
    }
    const int all = int(kAllCategories.size());
    table->setItem(all, Threshold, StatsFormat::numberItem(QString()));
    showRow(all, stats.allAutoResolve(), std::nullopt);
}
