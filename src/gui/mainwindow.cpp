#include "mainwindow.h"

#include "accountlabels.h"
#include "apiservice.h"
#include "autoresolvedialog.h"
#include "categorypalette.h"
#include "classificationservice.h"
#include "database.h"
#include "databaselocation.h"
#include "localclassifier.h"
#include "newticketdialog.h"
#include "rulesclassifier.h"
#include "settingsdialog.h"
#include "settingskeys.h"
#include "statsview.h"
#include "storagethread.h"
#include "ticketlabels.h"
#include "ticketservice.h"
#include "tickettablemodel.h"
#include "tokensdialog.h"
#include "ui_mainwindow.h"
#include "usersdialog.h"
#include "webhooksdialog.h"

#include <QButtonGroup>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace {

// Typing pauses this long before the table searches.
constexpr int kSearchDelayMs = 200;
// Users added on other consoles show in the assignee list after at most this long.
constexpr qint64 kAssigneesLifetimeMs = 30'000;

namespace SettingsKey {
const auto geometry = QStringLiteral("window/geometry");
const auto state = QStringLiteral("window/state");
const auto splitter = QStringLiteral("window/splitter");
const auto columns = QStringLiteral("window/ticket_columns");
} // namespace SettingsKey

UserAccount withoutPasswordHash(UserAccount user)
{
    user.passwordHash.clear();
    return user;
}

} // namespace

MainWindow::MainWindow(TicketService &tickets, const UserAccount &user, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_tickets(tickets)
    , m_user(withoutPasswordHash(user))
    , m_actor(Actor::user(user.name))
    , m_store(new StorageThread(tickets, this))
    , m_summaryStore(new StorageThread(tickets, this))
    , m_apiLabel(new QLabel(this))
    , m_aiLabel(new QLabel(this))
    , m_queueLabel(new QLabel(this))
    , m_databaseLabel(new QLabel(this))
    , m_userLabel(new QLabel(this))
{
    m_ui->setupUi(this);
    // Created after the form, so destroyed after the view whose selection points into it.
    m_model = new TicketTableModel(m_store, this);
    QIcon icon;
    for (const int size : {32, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/support-console-%1.png").arg(size), QSize(size, size));
    setWindowIcon(icon);
    m_ui->ticketTableView->setModel(m_model);
    QHeaderView *header = m_ui->ticketTableView->horizontalHeader();
    header->setSortIndicator(TicketTableModel::ReceivedColumn, Qt::DescendingOrder);
    m_ui->ticketTableView->setSortingEnabled(true);
    header->setSectionResizeMode(TicketTableModel::SubjectColumn, QHeaderView::Stretch);
    header->setStretchLastSection(false);
    m_ui->ticketTableView->verticalHeader()->setDefaultSectionSize(
        m_ui->ticketTableView->fontMetrics().height() + 8);
    // Narrow enough that the subject keeps most of the table at the window's default size.
    const std::array<std::pair<int, int>, 8> widths{{{TicketTableModel::IdColumn, 52},
                                                     {TicketTableModel::ReceivedColumn, 118},
                                                     {TicketTableModel::CategoryColumn, 105},
                                                     {TicketTableModel::ConfidenceColumn, 82},
                                                     {TicketTableModel::PriorityColumn, 62},
                                                     {TicketTableModel::StatusColumn, 78},
                                                     {TicketTableModel::AssigneeColumn, 86},
                                                     {TicketTableModel::NeedsReviewColumn, 62}}};
    for (const auto &[column, width] : widths)
        m_ui->ticketTableView->setColumnWidth(column, width);
    m_ui->mainSplitter->setStretchFactor(0, 3);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_ui->mainSplitter->setSizes({820, 440});

    for (QLabel *label : {m_userLabel, m_databaseLabel, m_apiLabel, m_aiLabel, m_queueLabel}) {
        label->setTextFormat(Qt::PlainText);
        statusBar()->addPermanentWidget(label);
    }
    m_apiLabel->setObjectName(QStringLiteral("apiStatusLabel"));
    m_aiLabel->setObjectName(QStringLiteral("aiStatusLabel"));
    m_queueLabel->setObjectName(QStringLiteral("queueStatusLabel"));
    m_databaseLabel->setObjectName(QStringLiteral("databaseStatusLabel"));
    m_userLabel->setObjectName(QStringLiteral("userStatusLabel"));
    m_userLabel->setAccessibleName(tr("Signed-in user"));
    m_databaseLabel->setAccessibleName(tr("Database status"));
    m_databaseLabel->hide();
    m_apiLabel->setAccessibleName(tr("API status"));
    m_aiLabel->setAccessibleName(tr("AI status"));
    m_queueLabel->setAccessibleName(tr("Classification queue"));

    if (allows(Permission::ReadStatistics)) {
        m_statsView = new StatsView(this);
        m_ui->statisticsLayout->addWidget(m_statsView);
        // Read when shown and on every change while shown; a hidden chart costs nothing.
        connect(m_ui->viewsTabWidget, &QTabWidget::currentChanged, this, [this] {
            if (m_ui->viewsTabWidget->currentWidget() == m_ui->statisticsPage)
                loadStats();
        });
        connect(m_statsView, &StatsView::rangeChanged, this, &MainWindow::loadStats);
    }

    setUpActions();
    applyRole();
    setUpFilters();
    restoreLayout();

    connect(m_store, &StorageThread::storageFailed, this, &MainWindow::showStorageError);
    connect(m_summaryStore, &StorageThread::storageFailed, this, &MainWindow::showStorageError);
    connect(m_ui->ticketTableView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showCurrentTicket);
    connect(m_model, &TicketTableModel::reloaded, this, [this] {
        if (m_model->rowCount() > 0 && !m_ui->ticketTableView->currentIndex().isValid()) {
            m_ui->ticketTableView->setCurrentIndex(
                m_model->index(0, TicketTableModel::SubjectColumn));
        }
        showCurrentTicket();
    });
    connect(m_model, &TicketTableModel::refreshed, this, [this] {
        if (m_selectWhenShown == 0)
            return;
        const int row = m_model->rowOfTicket(m_selectWhenShown);
        if (row < 0)
            return;
        m_selectWhenShown = 0;
        const QModelIndex index = m_model->index(row, TicketTableModel::SubjectColumn);
        m_ui->ticketTableView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_ui->ticketTableView->scrollTo(index);
    });
    // A ticket that arrives or changes shows without waiting for the first page's reload.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_ui->ticketTableView->currentIndex();
                if (current.isValid() && current.row() >= topLeft.row() &&
                    current.row() <= bottomRight.row() &&
                    m_ui->detailWidget->ticketId() !=
                        current.data(TicketTableModel::TicketIdRole).toLongLong()) {
                    showCurrentTicket();
                }
            });

    connect(m_ui->detailWidget, &TicketDetailWidget::acceptCategoryRequested, this,
            &MainWindow::acceptCategory);
    connect(m_ui->detailWidget, &TicketDetailWidget::categoryChosen, this,
            &MainWindow::setCategory);
    connect(m_ui->detailWidget, &TicketDetailWidget::statusChosen, this, &MainWindow::setStatus);
    connect(m_ui->detailWidget, &TicketDetailWidget::assigneeChosen, this, &MainWindow::assign);
    connect(m_ui->detailWidget, &TicketDetailWidget::takeRequested, this,
            [this] { assign(m_user.name); });
    connect(m_ui->detailWidget, &TicketDetailWidget::replyRequested, this, &MainWindow::sendReply);
    connect(m_ui->detailWidget, &TicketDetailWidget::draftRequested, this, &MainWindow::draftReply);

    // Writes here, through the API, by the classifier or by other consoles all end up here.
    connect(&m_tickets, &TicketService::ticketsChanged, this, &MainWindow::refreshEverything);
    connect(&m_tickets, &TicketService::databaseAvailabilityChanged, this,
            &MainWindow::showDatabaseAvailability);
    m_tickets.watchForChanges();
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatusBar);
    m_statusTimer.start();

    refreshCounts();
    loadAssignees();
    updateStatusBar();
}

MainWindow::~MainWindow()
{
    // Finish the storage thread's work while this window can still receive (and drop) the
    // answers; a child deleted by ~QObject would post them to an object already torn down.
    delete m_store;
    m_store = nullptr;
    delete m_summaryStore;
    m_summaryStore = nullptr;
}

void MainWindow::setApi(ApiService *api, const QUrl &address, const QString &problem)
{
    m_api = api;
    m_apiAddress = address;
    m_apiProblem = problem;
    updateStatusBar();
}

void MainWindow::setClassification(ClassificationService *classification)
{
    m_classification = classification;
    if (m_classification) {
        // Results stored in this process show at once instead of at the next poll.
        connect(m_classification, &ClassificationService::classificationsStored, this,
                &MainWindow::refreshEverything);
    }
    updateStatusBar();
}

void MainWindow::setUpActions()
{
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionNewTicket, &QAction::triggered, this, &MainWindow::newTicket);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::editSettings);
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage);
        m_ui->searchLineEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->searchLineEdit->selectAll();
    });
    connect(m_ui->actionShowTickets, &QAction::triggered, this,
            [this] { m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage); });
    connect(m_ui->actionShowStatistics, &QAction::triggered, this, [this] {
        if (m_statsView)
            m_ui->viewsTabWidget->setCurrentWidget(m_ui->statisticsPage);
    });
    connect(m_ui->actionUsers, &QAction::triggered, this, &MainWindow::manageUsers);
    connect(m_ui->actionTokens, &QAction::triggered, this, &MainWindow::manageTokens);
    connect(m_ui->actionWebhooks, &QAction::triggered, this, &MainWindow::manageWebhooks);
    connect(m_ui->actionAutoResolve, &QAction::triggered, this, &MainWindow::manageAutoResolve);
    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refreshEverything);
    connect(m_ui->actionReviewQueue, &QAction::triggered, this, [this] {
        m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage);
        // Opening the queue leaves out a colleague's tickets, theirs to review; the agent may
        // still pick "Anyone's" in it.
        if (!m_ui->needsReviewCheckBox->isChecked() &&
            m_ui->assigneeFilterComboBox->currentData().toInt() == int(HolderFilter::Anyone)) {
            showHolders(HolderFilter::MineOrNobody);
        }
        m_ui->needsReviewCheckBox->setChecked(true);
        // The least sure first: each verdict there teaches the model the most. A click on
        // another column still orders it otherwise.
        m_ui->ticketTableView->sortByColumn(TicketTableModel::ConfidenceColumn, Qt::AscendingOrder);
        m_ui->ticketTableView->setFocus(Qt::ShortcutFocusReason);
    });
    connect(m_ui->actionShowMine, &QAction::triggered, this, [this] {
        m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage);
        showHolders(HolderFilter::Mine);
        m_ui->ticketTableView->setFocus(Qt::ShortcutFocusReason);
    });
    connect(m_ui->actionAssignToMe, &QAction::triggered, this, [this] { assign(m_user.name); });
    connect(m_ui->actionReply, &QAction::triggered, m_ui->detailWidget,
            &TicketDetailWidget::focusReply);
    connect(m_ui->actionDraftReply, &QAction::triggered, this, &MainWindow::draftReply);
    connect(m_ui->actionAssignTo, &QAction::triggered, this, [this] {
        m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage);
        m_ui->detailWidget->chooseAssignee();
    });
    connect(m_ui->actionNextTicket, &QAction::triggered, this, [this] { moveCurrentRow(1); });
    connect(m_ui->actionPreviousTicket, &QAction::triggered, this, [this] { moveCurrentRow(-1); });
    connect(m_ui->actionAcceptCategory, &QAction::triggered, this, &MainWindow::acceptCategory);
    connect(m_ui->actionSetTechnical, &QAction::triggered, this,
            [this] { setCategory(Category::Technical); });
    connect(m_ui->actionSetBilling, &QAction::triggered, this,
            [this] { setCategory(Category::Billing); });
    connect(m_ui->actionSetGeneral, &QAction::triggered, this,
            [this] { setCategory(Category::General); });
    connect(m_ui->actionSetOpen, &QAction::triggered, this,
            [this] { setStatus(TicketStatus::Open); });
    connect(m_ui->actionSetInProgress, &QAction::triggered, this,
            [this] { setStatus(TicketStatus::InProgress); });
    connect(m_ui->actionSetWaiting, &QAction::triggered, this,
            [this] { setStatus(TicketStatus::Waiting); });
    connect(m_ui->actionSetResolved, &QAction::triggered, this,
            [this] { setStatus(TicketStatus::Resolved); });
    connect(m_ui->actionSetClosed, &QAction::triggered, this,
            [this] { setStatus(TicketStatus::Closed); });
    connect(m_ui->actionAbout, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Support Console"),
                           tr("Support Console %1\nTickets, AI triage and an HTTP API for "
                              "customer-support teams.")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::applyRole()
{
    setWindowTitle(
        tr("Support Console – %1 (%2)").arg(m_user.name, AccountLabels::role(m_user.role)));
    m_userLabel->setText(
        tr("Signed in as %1 · %2").arg(m_user.name, AccountLabels::role(m_user.role)));

    if (!allows(Permission::ReadStatistics)) {
        // The page goes, not only its tab, so that no shortcut or stale index reaches it.
        m_ui->viewsTabWidget->removeTab(m_ui->viewsTabWidget->indexOf(m_ui->statisticsPage));
        delete m_ui->statisticsPage;
        m_ui->statisticsPage = nullptr;
        m_ui->statisticsLayout = nullptr;
        m_ui->viewsTabWidget->setTabBarAutoHide(true);
        m_ui->actionShowStatistics->setEnabled(false);
        m_ui->actionShowStatistics->setVisible(false);
    }

    const bool administers = allows(Permission::Administer);
    m_ui->adminMenu->menuAction()->setVisible(administers);
    for (QAction *action :
         {m_ui->actionUsers, m_ui->actionTokens, m_ui->actionWebhooks, m_ui->actionAutoResolve}) {
        action->setEnabled(administers);
        action->setVisible(administers);
    }
    // Until the node's webhook service is known.
    m_ui->actionWebhooks->setEnabled(false);
    // Everyone may say where their own console finds the database; only admins see the rest.
    if (!administers)
        m_ui->actionSettings->setToolTip(tr("Where this console finds the database"));
}

void MainWindow::setUpFilters()
{
    auto *categories = new QButtonGroup(this);
    categories->addButton(m_ui->allCategoryButton, -1);
    categories->addButton(m_ui->technicalCategoryButton, int(Category::Technical));
    categories->addButton(m_ui->billingCategoryButton, int(Category::Billing));
    categories->addButton(m_ui->generalCategoryButton, int(Category::General));
    for (const Category category : kAllCategories) {
        QPixmap swatch(12, 12);
        swatch.fill(CategoryPalette::color(category));
        categories->button(int(category))->setIcon(QIcon(swatch));
    }
    connect(categories, &QButtonGroup::idClicked, this, &MainWindow::applyFilter);

    m_ui->statusComboBox->addItem(tr("Any status"));
    for (const TicketStatus status : kAllTicketStatuses)
        m_ui->statusComboBox->addItem(TicketLabels::status(status), int(status));
    connect(m_ui->statusComboBox, &QComboBox::currentIndexChanged, this, &MainWindow::applyFilter);
    connect(m_ui->needsReviewCheckBox, &QCheckBox::toggled, this, &MainWindow::applyFilter);
    m_ui->assigneeFilterComboBox->addItem(tr("Anyone's"), int(HolderFilter::Anyone));
    m_ui->assigneeFilterComboBox->addItem(tr("Mine"), int(HolderFilter::Mine));
    m_ui->assigneeFilterComboBox->addItem(tr("Unassigned"), int(HolderFilter::Nobody));
    m_ui->assigneeFilterComboBox->addItem(tr("Mine or unassigned"),
                                          int(HolderFilter::MineOrNobody));
    m_ui->assigneeFilterComboBox->setToolTip(tr("Whose tickets to show"));
    connect(m_ui->assigneeFilterComboBox, &QComboBox::currentIndexChanged, this,
            &MainWindow::applyFilter);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(kSearchDelayMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &MainWindow::applyFilter);
    connect(m_ui->searchLineEdit, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_ui->searchLineEdit, &QLineEdit::returnPressed, this, &MainWindow::applyFilter);
}

TicketQuery MainWindow::currentFilter() const
{
    TicketQuery filter;
    if (m_ui->technicalCategoryButton->isChecked())
        filter.category = Category::Technical;
    else if (m_ui->billingCategoryButton->isChecked())
        filter.category = Category::Billing;
    else if (m_ui->generalCategoryButton->isChecked())
        filter.category = Category::General;
    if (const QVariant status = m_ui->statusComboBox->currentData(); status.isValid())
        filter.status = TicketStatus(status.toInt());
    if (m_ui->needsReviewCheckBox->isChecked())
        filter.needsReview = true;
    switch (HolderFilter(m_ui->assigneeFilterComboBox->currentData().toInt())) {
    case HolderFilter::Anyone:
        break;
    case HolderFilter::Mine:
        filter.assignee = m_user.name;
        break;
    case HolderFilter::Nobody:
        filter.assignee = QString();
        break;
    case HolderFilter::MineOrNobody:
        filter.availableTo = m_user.name;
        break;
    }
    filter.search = m_ui->searchLineEdit->text().trimmed();
    return filter;
}

void MainWindow::showHolders(HolderFilter holders)
{
    m_ui->assigneeFilterComboBox->setCurrentIndex(
        m_ui->assigneeFilterComboBox->findData(int(holders)));
}

void MainWindow::applyFilter()
{
    m_searchTimer.stop();
    const TicketQuery filter = currentFilter();
    const TicketQuery &shown = m_model->filter();
    if (filter.category == shown.category && filter.status == shown.status &&
        filter.needsReview == shown.needsReview && filter.search == shown.search &&
        filter.assignee == shown.assignee && filter.availableTo == shown.availableTo) {
        return;
    }
    m_ui->ticketTableView->selectionModel()->clear();
    m_selectWhenShown = 0;
    m_model->setFilter(filter);
    refreshCounts();
}

void MainWindow::refreshCounts()
{
    const TicketQuery filter = currentFilter();
    const quint64 generation = ++*m_countsWanted;
    m_summaryStore
        ->run([filter, generation, wanted = m_countsWanted](
                  TicketSession &session) -> std::optional<TicketRepository::CategoryCounts> {
            // Typing a search queues a count per pause; only the newest is worth the time.
            if (generation != wanted->load())
                return std::nullopt;
            return session.countByCategory(filter);
        })
        .then(
            this,
            [this, generation](
                const std::optional<std::optional<TicketRepository::CategoryCounts>> &answer) {
                if (!answer || !*answer || generation != m_countsWanted->load())
                    return;
                const TicketRepository::CategoryCounts *counts = &**answer;
                const QLocale locale;
                m_ui->allCategoryButton->setText(tr("All (%1)").arg(locale.toString(counts->all)));
                const std::array buttons{m_ui->technicalCategoryButton, m_ui->billingCategoryButton,
                                         m_ui->generalCategoryButton};
                for (qsizetype i = 0; i < qsizetype(kAllCategories.size()); ++i) {
                    buttons.at(i)->setText(
                        tr("%1 (%2)").arg(CategoryPalette::displayName(kAllCategories.at(i)),
                                          locale.toString(counts->perCategory.at(i))));
                }
            });
}

void MainWindow::refreshEverything()
{
    m_model->refresh();
    refreshCounts();
    showCurrentTicket();
    if (m_assigneesRead.hasExpired(kAssigneesLifetimeMs))
        loadAssignees();
    if (m_statsView && m_ui->viewsTabWidget->currentWidget() == m_ui->statisticsPage)
        loadStats();
}

void MainWindow::loadStats()
{
    if (!m_statsView)
        return;
    const int days = m_statsView->rangeDays();
    const quint64 generation = ++m_statsGeneration;
    m_summaryStore
        ->run([days](TicketSession &session) {
            return session.stats(QDateTime::currentDateTimeUtc(), days);
        })
        .then(this, [this, generation](const std::optional<TicketStats> &stats) {
            if (stats && generation == m_statsGeneration)
                m_statsView->setStats(*stats);
        });
}

void MainWindow::showCurrentTicket()
{
    const QModelIndex current = m_ui->ticketTableView->currentIndex();
    const qint64 id =
        current.isValid() ? current.data(TicketTableModel::TicketIdRole).toLongLong() : 0;
    const quint64 generation = ++m_detailGeneration;
    if (id == 0) {
        if (!current.isValid()) {
            m_ui->detailWidget->showNothing();
            m_shownTicket.reset();
        }
        return; // the row's page is on its way; dataChanged brings us back
    }
    m_store->run([id](TicketSession &session) { return session.detail(id); })
        .then(this, [this, generation](const std::optional<TicketSession::Detail> &detail) {
            if (!detail || generation != m_detailGeneration)
                return;
            m_shownTicket = detail->ticket;
            m_shownLastEventId = detail->events.isEmpty() ? 0 : detail->events.last().id;
            if (detail->ticket)
                m_ui->detailWidget->showTicket(*detail->ticket, detail->messages, detail->history,
                                               detail->events);
            else
                m_ui->detailWidget->showNothing();
        });
}

void MainWindow::loadAssignees()
{
    m_assigneesRead.start();
    m_summaryStore->run([](TicketSession &session) { return session.users(); })
        .then(this, [this](const std::optional<QList<UserAccount>> &users) {
            if (users)
                m_ui->detailWidget->setAssignees(*users);
        });
}

// The rows an action applies to: the ids of rows the table has read, and ranges of rows it has
// not (a Shift+click far down, Ctrl+A over a million), which the storage thread turns into ids
// with the filter and order they were selected in.
struct MainWindow::RowSelection
{
    QList<qint64> ids;
    QList<std::pair<qint64, int>> ranges; // first row, row count
    TicketQuery filter;
    TicketOrder order;
    qint64 rowCount = 0;

    bool isEmpty() const { return ids.isEmpty() && ranges.isEmpty(); }
    QList<qint64> resolve(TicketSession &tickets) const
    {
        QList<qint64> all = ids;
        for (const auto &[first, count] : ranges)
            all += tickets.idsInRange(filter, order, first, count);
        // Overlapping ranges must not give a ticket two verdicts.
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        return all;
    }
};

MainWindow::RowSelection MainWindow::selectedRows() const
{
    RowSelection selection;
    selection.filter = m_model->filter();
    // Offsets count the rows as shown; tickets that arrived since would shift them.
    selection.filter.upToId = m_model->newestId();
    selection.order = m_model->order();
    const QItemSelection ranges = m_ui->ticketTableView->selectionModel()->selection();
    for (const QItemSelectionRange &range : ranges) {
        QList<qint64> loaded;
        for (int row = range.top(); row <= range.bottom(); ++row) {
            const Ticket *ticket = m_model->ticketAt(row);
            if (!ticket) {
                loaded.clear();
                break;
            }
            loaded.append(ticket->id);
        }
        if (loaded.size() == range.height())
            selection.ids += loaded;
        else
            selection.ranges.append({range.top(), range.height()});
        selection.rowCount += range.height();
    }
    if (selection.isEmpty() && m_ui->detailWidget->ticketId() > 0) {
        selection.ids.append(m_ui->detailWidget->ticketId());
        selection.rowCount = 1;
    }
    return selection;
}

void MainWindow::moveCurrentRow(int delta)
{
    const int rows = m_model->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_ui->ticketTableView->currentIndex();
    const int row = current.isValid() ? std::clamp(current.row() + delta, 0, rows - 1) : 0;
    const QModelIndex index = m_model->index(row, TicketTableModel::SubjectColumn);
    m_ui->ticketTableView->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_ui->ticketTableView->scrollTo(index);
}

void MainWindow::acceptCategory()
{
    const RowSelection selection = selectedRows();
    if (selection.isEmpty())
        return;
    const std::optional<Ticket> shown = soleShownTicket(selection);
    afterVerdict(selection.rowCount);
    if (shown) {
        // As for many tickets: only a machine's category is there to accept.
        if (shown->classification &&
            shown->classification->provider != ClassificationProvider::Agent) {
            TicketChange accept;
            accept.category = shown->classification->category;
            changeShownTicket(*shown, accept);
        }
        return;
    }
    changeInBulk(selection, [actor = m_actor](TicketSession &session, const QList<qint64> &ids) {
        session.acceptCategories(ids, actor);
        return TicketSession::Problem::None;
    });
}

void MainWindow::setCategory(Category category)
{
    const RowSelection selection = selectedRows();
    if (selection.isEmpty())
        return;
    const std::optional<Ticket> shown = soleShownTicket(selection);
    afterVerdict(selection.rowCount);
    if (shown) {
        TicketChange verdict;
        verdict.category = category;
        changeShownTicket(*shown, verdict);
        return;
    }
    changeInBulk(selection,
                 [category, actor = m_actor](TicketSession &session, const QList<qint64> &ids) {
                     session.setCategory(ids, category, actor);
                     return TicketSession::Problem::None;
                 });
}

void MainWindow::setStatus(TicketStatus status)
{
    const RowSelection selection = selectedRows();
    if (selection.isEmpty())
        return;
    if (const std::optional<Ticket> shown = soleShownTicket(selection)) {
        TicketChange change;
        change.status = status;
        changeShownTicket(*shown, change);
        return;
    }
    changeInBulk(selection,
                 [status, actor = m_actor](TicketSession &session, const QList<qint64> &ids) {
                     session.setStatus(ids, status, actor);
                     return TicketSession::Problem::None;
                 });
}

void MainWindow::assign(const QString &assignee)
{
    const RowSelection selection = selectedRows();
    if (selection.isEmpty())
        return;
    if (const std::optional<Ticket> shown = soleShownTicket(selection)) {
        TicketChange change;
        change.assignee = assignee;
        changeShownTicket(*shown, change);
        return;
    }
    changeInBulk(
        selection,
        [assignee, actor = m_actor](TicketSession &session, const QList<qint64> &ids) {
            return session.assign(ids, assignee, actor);
        },
        assignee);
}

void MainWindow::sendReply(const QString &body, MessageVisibility visibility,
                           std::optional<TicketStatus> statusAfter,
                           const std::optional<ReplyDraft> &draft)
{
    TicketMessage message;
    message.ticketId = m_ui->detailWidget->ticketId();
    message.body = body;
    message.visibility = visibility;
    m_store
        ->run([message, statusAfter, draft, actor = m_actor](TicketSession &session) {
            TicketMessage sent = message;
            if (draft) {
                sent.draft = draft->origin;
                sent.draft->edits = DraftOrigin::editDistance(draft->text, sent.body);
            }
            return session.addMessage(sent, actor, statusAfter).has_value();
        })
        .then(this, [this, id = message.ticketId](const std::optional<bool> &stored) {
            if (stored && *stored) {
                m_ui->detailWidget->replyStored(id);
                refreshEverything();
                return;
            }
            // Not stored: the text stays in the editor to send again.
            m_ui->detailWidget->replyNotStored();
            if (stored) // storageFailed() has said why otherwise
                showChangeProblem(TicketSession::Problem::NotFound, id, QString());
        });
}

void MainWindow::setDrafter(ReplyDrafter *drafter)
{
    m_drafter = drafter;
}

void MainWindow::setWebhooks(WebhookService *webhooks)
{
    m_webhooks = webhooks;
    m_ui->actionWebhooks->setEnabled(m_webhooks && allows(Permission::Administer));
}

void MainWindow::draftReply()
{
    const qint64 id = m_ui->detailWidget->ticketId();
    if (id == 0)
        return;
    if (m_ui->detailWidget->isDrafting()) {
        m_ui->detailWidget->stopDrafting();
        return;
    }
    // One request at a time: a second would cost as much and replace the first.
    if (m_draftRequested == id)
        return;
    m_draftRequested = id;
    m_ui->viewsTabWidget->setCurrentWidget(m_ui->ticketsPage);
    struct Drafts
    {
        QList<ReplySuggestion> similar;
        std::optional<ReplyDrafter::RemoteDraft> remote;
    };
    // The context is read, and redacted for a remote model, on the storage thread.
    m_store
        ->run([id, drafter = m_drafter, actor = m_actor](TicketSession &session) {
            Drafts drafts;
            std::optional<DraftContext> context = session.draftContext(id);
            if (!context)
                return drafts;
            drafts.similar = context->similar;
            if (drafter)
                drafts.remote = drafter->draftRemotely(std::move(*context));
            // The similar tickets' replies are offered beside a remote draft too ("Draft from:"),
            // and in its place when it fails; a remote draft that fails before its first words
            // still counts against its provider.
            if (drafts.remote)
                session.recordDraftOffer(id, DraftOrigin::kRemoteProvider, drafts.remote->model,
                                         actor);
            if (!drafts.similar.isEmpty())
                session.recordDraftOffer(id, DraftOrigin::kLocalProvider, DraftOrigin::kLocalModel,
                                         actor);
            return drafts;
        })
        .then(this, [this, id](const std::optional<Drafts> &drafts) {
            m_draftRequested = 0;
            if (!drafts)
                return;
            if (drafts->remote)
                m_ui->detailWidget->streamDraft(id, drafts->remote->model, drafts->remote->stream,
                                                drafts->similar);
            else
                m_ui->detailWidget->showSuggestions(id, drafts->similar);
        });
}

std::optional<Ticket> MainWindow::soleShownTicket(const RowSelection &selection) const
{
    if (selection.ranges.isEmpty() && selection.ids.size() == 1 && m_shownTicket &&
        m_shownTicket->id == selection.ids.constFirst()) {
        return m_shownTicket;
    }
    return std::nullopt;
}

void MainWindow::changeShownTicket(const Ticket &shown, const TicketChange &change)
{
    struct Outcome
    {
        TicketSession::Changed changed;
        QList<TicketEvent> events;
    };
    m_store
        ->run([id = shown.id, shownVersion = shown.version, change, actor = m_actor,
               own = m_ownChange](TicketSession &session) {
            const bool buildsOnOwnChange = own->ticketId == id && own->shownVersion == shownVersion;
            const qint64 expected = buildsOnOwnChange ? own->versionAfter : shownVersion;
            Outcome outcome{session.change(id, change, actor, expected), {}};
            if (outcome.changed.problem == TicketSession::Problem::None && outcome.changed.ticket)
                *own = {id, shownVersion, outcome.changed.ticket->version};
            else if (outcome.changed.problem == TicketSession::Problem::Stale)
                outcome.events = session.history(id);
            return outcome;
        })
        .then(this, [this, id = shown.id, lastEventId = m_shownLastEventId,
                     assignee = change.assignee.value_or(QString())](
                        const std::optional<Outcome> &outcome) {
            refreshEverything();
            if (!outcome)
                return; // storageFailed() said why
            if (outcome->changed.problem == TicketSession::Problem::None) {
                if (m_ui->detailWidget->ticketId() == id)
                    m_ui->detailWidget->showNotice(QString());
                return;
            }
            QStringList changedBy;
            for (const TicketEvent &event : outcome->events) {
                const QString who =
                    event.actor == m_actor ? tr("you") : AccountLabels::actor(event.actor);
                if (event.id > lastEventId && !changedBy.contains(who))
                    changedBy.append(who);
            }
            showChangeProblem(outcome->changed.problem, id, assignee, changedBy);
        });
}

void MainWindow::changeInBulk(const RowSelection &selection, BulkChange change,
                              const QString &assignee)
{
    m_store
        ->run([selection, change = std::move(change)](TicketSession &session) {
            return change(session, selection.resolve(session));
        })
        .then(this, [this, assignee](const std::optional<TicketSession::Problem> &problem) {
            refreshEverything();
            if (problem)
                showChangeProblem(*problem, 0, assignee);
        });
}

void MainWindow::showChangeProblem(TicketSession::Problem problem, qint64 ticketId,
                                   const QString &assignee, const QStringList &changedBy)
{
    QString text;
    switch (problem) {
    case TicketSession::Problem::None:
        return;
    case TicketSession::Problem::NotFound:
        text = tr("Ticket #%1 no longer exists.").arg(ticketId);
        break;
    case TicketSession::Problem::Stale:
        text = changedBy.isEmpty()
                   ? tr("Ticket #%1 changed after you opened it, so your change was not made. "
                        "Check what changed and make yours again if it still applies.")
                         .arg(ticketId)
                   : tr("%1 changed ticket #%2 after you opened it, so your change was not made. "
                        "Check what changed and make yours again if it still applies.")
                         .arg(QLocale().createSeparatedList(changedBy))
                         .arg(ticketId);
        break;
    case TicketSession::Problem::UnknownAssignee:
        text = tr("There is no user %1 to give tickets to.").arg(assignee);
        loadAssignees(); // the list offered someone who is gone
        break;
    case TicketSession::Problem::DisabledAssignee:
        text = tr("%1's account is disabled, so tickets cannot be given to them.").arg(assignee);
        loadAssignees();
        break;
    }
    m_ui->detailWidget->showNotice(text);
    statusBar()->showMessage(text, 15000);
}

void MainWindow::afterVerdict(qint64 selectedRows)
{
    // Walking the review queue: a verdict moves on to the next ticket, and the one just decided
    // leaves the queue at the next refresh. Moving first means the refresh that follows the
    // write already follows the next ticket.
    if (m_ui->needsReviewCheckBox->isChecked() && selectedRows <= 1) {
        moveCurrentRow(1);
    }
}

void MainWindow::newTicket()
{
    openNewTicketForm(std::nullopt);
}

void MainWindow::openNewTicketForm(const std::optional<NewTicketForm> &restored)
{
    // The model classifying tickets right now, retrained or rolled back since the window opened;
    // the rules before the classification service has said which.
    std::shared_ptr<const LocalClassifier> suggester =
        m_classification ? m_classification->status().suggester : nullptr;
    if (!suggester)
        suggester = std::make_shared<RulesClassifier>();
    auto *dialog = new NewTicketDialog(std::move(suggester), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (restored)
        dialog->restore(restored->draft, restored->category);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const NewTicketForm form{dialog->draft(), dialog->chosenCategory()};
        m_store
            ->run([form, actor = m_actor](TicketSession &session) {
                return session.create(form.draft, actor, form.category).id;
            })
            .then(this, [this, form](std::optional<qint64> id) {
                if (!id) {
                    // storageFailed() says why; the form comes back with what was typed.
                    openNewTicketForm(form);
                    return;
                }
                m_selectWhenShown = *id;
                statusBar()->showMessage(tr("Ticket #%1 submitted.").arg(*id), 5000);
                refreshEverything();
            });
    });
    dialog->open();
}

void MainWindow::editSettings()
{
    auto *settings = new QSettings;
    SettingsDialog::Current current;
    current.bindAddress =
        m_apiAddress.host().isEmpty() ? QStringLiteral("127.0.0.1") : m_apiAddress.host();
    current.port = quint16(m_apiAddress.port(8080));
    current.databasePath = DatabaseLocation::redacted(m_tickets.database().config());
    auto *dialog = new SettingsDialog(settings, current, allows(Permission::Administer), this);
    settings->setParent(dialog);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QStringList keys = dialog->changedKeys();
        if (keys.isEmpty())
            return;
        if (keys.contains(SettingsKeys::databasePath)) {
            statusBar()->showMessage(
                tr("The new database location applies the next time Support Console starts."),
                15000);
        }
        Q_EMIT settingsChanged(keys);
        updateStatusBar();
    });
    dialog->open();
}

void MainWindow::manageUsers()
{
    if (!allows(Permission::Administer))
        return;
    // Hashing a password takes a tenth of a second: on the summary thread it delays a count,
    // never a page of the table.
    auto *dialog = new UsersDialog(*m_summaryStore, m_tickets.database(), m_actor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, &MainWindow::loadAssignees);
    dialog->open();
}

void MainWindow::manageTokens()
{
    if (!allows(Permission::Administer))
        return;
    // With this node's verifier, a token revoked here is refused by its API at once.
    auto *dialog = new TokensDialog(*m_summaryStore, m_tickets.database(),
                                    m_api ? &m_api->tokenVerifier() : nullptr, m_actor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::manageWebhooks()
{
    if (!allows(Permission::Administer) || !m_webhooks)
        return;
    auto *dialog = new WebhooksDialog(*m_summaryStore, *m_webhooks, m_actor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::manageAutoResolve()
{
    if (!allows(Permission::Administer))
        return;
    auto *dialog = new AutoResolveDialog(*m_summaryStore, m_actor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showStorageError(const QString &message)
{
    statusBar()->showMessage(tr("Database problem: %1").arg(message), 15000);
}

void MainWindow::showDatabaseAvailability(bool available, const QString &problem)
{
    // What the table shows stays, marked as possibly stale, until the database answers again.
    m_databaseLabel->setVisible(!available);
    if (available) {
        m_databaseLabel->clear();
        statusBar()->showMessage(tr("The database answers again."), 5000);
    } else {
        m_databaseLabel->setText(tr("Database unreachable, retrying: %1").arg(problem));
    }
}

void MainWindow::updateStatusBar()
{
    const QLocale locale;
    if (!m_apiProblem.isEmpty()) {
        m_apiLabel->setText(tr("API not running: %1").arg(m_apiProblem));
    } else if (m_api) {
        m_apiLabel->setText(
            tr("API %1 · %2 requests")
                .arg(m_apiAddress.toString(), locale.toString(m_api->requestsServed())));
    } else {
        m_apiLabel->setText(tr("API off"));
    }

    if (!m_classification) {
        m_aiLabel->setText(tr("AI off"));
        m_queueLabel->clear();
        return;
    }
    const ClassificationStatus status = m_classification->status();
    QString active;
    QStringList notes;
    for (const ClassificationStatus::Provider &provider : status.providers) {
        const bool usable = provider.state == QLatin1String("ready") ||
                            provider.state == QLatin1String("closed") ||
                            provider.state == QLatin1String("half_open");
        if (provider.state == QLatin1String("open"))
            notes.append(tr("%1 breaker open").arg(provider.name));
        if (usable && active.isEmpty())
            active = provider.model.isEmpty() ? provider.name : provider.model;
    }
    QString ai = active.isEmpty() ? tr("AI: no provider") : tr("AI: %1").arg(active);
    QString aiDetail;
    if (const auto &learned = status.learnedModel;
        learned && learned->accuracy && learned->rulesAccuracy) {
        const auto percent = [&locale](double value, int decimals) -> QString {
            return locale.toString(100.0 * value, 'f', decimals) + u'%';
        };
        ai += tr(" · local model %1 right, rules %2")
                  .arg(percent(*learned->accuracy, 0), percent(*learned->rulesAccuracy, 0));
        aiDetail = tr("The local model %1 was trained on %2 of the team's labelled tickets. On "
                      "tickets it had not seen it was right %3 of the time; the built-in rules "
                      "were right %4 on the same tickets.")
                       .arg(learned->name, locale.toString(learned->trainingSize),
                            percent(*learned->accuracy, 1), percent(*learned->rulesAccuracy, 1));
        if (learned->pinned)
            aiDetail += u' ' + tr("An admin pinned it: training does not replace it.");
    }
    if (!notes.isEmpty())
        ai += u" (" + notes.join(QLatin1String(", ")) + u')';
    m_aiLabel->setText(ai);
    m_aiLabel->setToolTip(aiDetail);
    // Redrawn only when another model comes into use.
    const qint64 learnedId = status.learnedModel ? status.learnedModel->id : 0;
    if (m_statsView && learnedId != m_chartedModelId) {
        m_chartedModelId = learnedId;
        m_statsView->setLearningCurve(status.learnedModel ? status.learnedModel->learningCurve
                                                          : LearningCurve());
    }
    m_queueLabel->setText(
        tr("%1 pending · %2 failed")
            .arg(locale.toString(status.pending), locale.toString(status.failed)));
}

void MainWindow::restoreLayout()
{
    const QSettings settings;
    restoreGeometry(settings.value(SettingsKey::geometry).toByteArray());
    restoreState(settings.value(SettingsKey::state).toByteArray());
    m_ui->mainSplitter->restoreState(settings.value(SettingsKey::splitter).toByteArray());
    m_ui->ticketTableView->horizontalHeader()->restoreState(
        settings.value(SettingsKey::columns).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(SettingsKey::geometry, saveGeometry());
    settings.setValue(SettingsKey::state, saveState());
    settings.setValue(SettingsKey::splitter, m_ui->mainSplitter->saveState());
    settings.setValue(SettingsKey::columns, m_ui->ticketTableView->horizontalHeader()->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}
