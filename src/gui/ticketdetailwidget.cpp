#include "ticketdetailwidget.h"

#include "accountlabels.h"
#include "categorypalette.h"
#include "ticketlabels.h"
#include "ui_ticketdetailwidget.h"

#include <QActionGroup>
#include <QFont>
#include <QLocale>
#include <QMenu>

namespace {

QString sourceName(TicketSource source)
{
    switch (source) {
    case TicketSource::Api:
        return QCoreApplication::translate("TicketDetailWidget", "API");
    case TicketSource::Gui:
        return QCoreApplication::translate("TicketDetailWidget", "Console");
    case TicketSource::Import:
        return QCoreApplication::translate("TicketDetailWidget", "Import");
    }
    return {};
}

} // namespace

TicketDetailWidget::TicketDetailWidget(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::TicketDetailWidget>())
{
    m_ui->setupUi(this);
    QFont subjectFont = m_ui->subjectLabel->font();
    subjectFont.setPointSizeF(subjectFont.pointSizeF() * 1.3);
    subjectFont.setBold(true);
    m_ui->subjectLabel->setFont(subjectFont);
    for (const TicketStatus status : kAllTicketStatuses)
        m_ui->statusComboBox->addItem(TicketLabels::status(status), int(status));

    connect(m_ui->acceptCategoryButton, &QPushButton::clicked, this,
            &TicketDetailWidget::acceptCategoryRequested);
    connect(m_ui->technicalButton, &QPushButton::clicked, this,
            [this] { Q_EMIT categoryChosen(Category::Technical); });
    connect(m_ui->billingButton, &QPushButton::clicked, this,
            [this] { Q_EMIT categoryChosen(Category::Billing); });
    connect(m_ui->generalButton, &QPushButton::clicked, this,
            [this] { Q_EMIT categoryChosen(Category::General); });
    // activated, not currentIndexChanged: only the agent's choice changes a ticket.
    connect(m_ui->statusComboBox, &QComboBox::activated, this, [this](int index) {
        Q_EMIT statusChosen(TicketStatus(m_ui->statusComboBox->itemData(index).toInt()));
    });
    // A menu rather than a combo box: walking a combo box with the arrow keys would give the
    // ticket to everyone on the way.
    m_assigneeMenu = new QMenu(this);
    m_assigneeMenu->setObjectName(QStringLiteral("assigneeMenu"));
    m_ui->assignButton->setMenu(m_assigneeMenu);
    connect(m_assigneeMenu, &QMenu::triggered, this,
            [this](QAction *action) { Q_EMIT assigneeChosen(action->data().toString()); });
    setAssignees({});
    connect(m_ui->takeButton, &QPushButton::clicked, this, &TicketDetailWidget::takeRequested);
    // The warning colours of the palette in use, light or dark.
    m_ui->noticeLabel->setAutoFillBackground(true);
    QPalette notice = m_ui->noticeLabel->palette();
    notice.setColor(QPalette::Window, palette().color(QPalette::ToolTipBase));
    notice.setColor(QPalette::WindowText, palette().color(QPalette::ToolTipText));
    m_ui->noticeLabel->setPalette(notice);
    showNothing();
}

TicketDetailWidget::~TicketDetailWidget() = default;

void TicketDetailWidget::showNothing()
{
    m_ticketId = 0;
    m_ui->noticeLabel->hide();
    m_ui->pagesStackedWidget->setCurrentWidget(m_ui->emptyPage);
}

void TicketDetailWidget::setAssignees(const QList<UserAccount> &users)
{
    m_assigneeMenu->clear();
    auto *holders = new QActionGroup(m_assigneeMenu);
    const auto addHolder = [this, holders](const QString &label, const QString &name) {
        QAction *action = m_assigneeMenu->addAction(label);
        action->setData(name);
        action->setCheckable(true);
        holders->addAction(action);
    };
    addHolder(tr("Nobody"), QString());
    m_assigneeMenu->addSeparator();
    for (const UserAccount &user : users) {
        if (!user.disabled)
            addHolder(user.name, user.name);
    }
    showAssignee(m_assignee);
}

void TicketDetailWidget::showAssignee(const QString &name)
{
    m_assignee = name;
    m_ui->assigneeLabel->setText(name.isEmpty() ? tr("Nobody") : name);
    // Someone disabled since holds it, or someone added on another console after the list was
    // read: then no entry is ticked.
    for (QAction *action : m_assigneeMenu->actions())
        action->setChecked(action->isCheckable() && action->data().toString() == name);
}

void TicketDetailWidget::chooseAssignee()
{
    if (m_ticketId == 0)
        return;
    m_assigneeMenu->popup(m_ui->assignButton->mapToGlobal(QPoint(0, m_ui->assignButton->height())));
}

void TicketDetailWidget::showNotice(const QString &notice)
{
    m_ui->noticeLabel->setText(notice);
    m_ui->noticeLabel->setVisible(!notice.isEmpty());
}

void TicketDetailWidget::showTicket(const Ticket &ticket, const QList<Classification> &history,
                                    const QList<TicketEvent> &events)
{
    const bool sameTicket = m_ticketId == ticket.id;
    if (!sameTicket)
        showNotice(QString());
    m_ticketId = ticket.id;
    m_ui->pagesStackedWidget->setCurrentWidget(m_ui->ticketPage);

    // Every label that shows customer text is Qt::PlainText in the form: markup stays text.
    const QString subject = TicketLabels::headline(ticket);
    m_ui->subjectLabel->setText(subject.isEmpty() ? tr("(no subject)") : subject);
    m_ui->metaLabel->setText(
        tr("#%1 · received %2 · via %3")
            .arg(ticket.id)
            .arg(TicketLabels::received(ticket.createdAt), sourceName(ticket.source)));

    QString category = TicketLabels::category(ticket);
    if (ticket.classification) {
        const Classification &c = *ticket.classification;
        category += u"  " + TicketLabels::confidence(c.confidence);
        if (ticket.needsReview)
            category += u"  " + tr("(needs review)");
        m_ui->priorityLabel->setText(TicketLabels::priority(c.priority));
        QString model = TicketLabels::provider(c.provider);
        if (!c.model.isEmpty())
            model += u" · " + c.model;
        // Local models answer in microseconds, which the stored milliseconds round to 0.
        if (c.provider != ClassificationProvider::Agent) {
            model += u" · " + (c.processingMs > 0 ? tr("%n ms", nullptr, int(c.processingMs))
                                                  : tr("under 1 ms"));
        }
        if (c.fallback)
            model += u" · " + tr("fallback");
        m_ui->modelLabel->setText(model);
        m_ui->summaryLabel->setText(c.summary.isEmpty() ? tr("No summary.") : c.summary);
    } else {
        m_ui->priorityLabel->setText(tr("Not known yet"));
        m_ui->modelLabel->setText(ticket.job && !ticket.job->lastError.isEmpty()
                                      ? tr("Failed: %1").arg(ticket.job->lastError)
                                      : tr("Waiting for the classifier"));
        m_ui->summaryLabel->setText(tr("The summary appears once the ticket is classified."));
    }
    m_ui->categoryLabel->setText(category);
    m_ui->categoryLabel->setToolTip(category);
    m_ui->acceptCategoryButton->setEnabled(
        ticket.classification && ticket.classification->provider != ClassificationProvider::Agent);
    m_ui->statusComboBox->setCurrentIndex(m_ui->statusComboBox->findData(int(ticket.status)));
    showAssignee(ticket.assignee);

    if (!sameTicket || m_ui->bodyPlainTextEdit->toPlainText() != ticket.body) {
        m_ui->bodyPlainTextEdit->setPlainText(
            ticket.form == TicketForm::SubjectBody ? ticket.body : ticket.text());
    }

    m_ui->historyTreeWidget->clear();
    for (auto it = history.crbegin(); it != history.crend(); ++it) {
        auto *item = new QTreeWidgetItem(m_ui->historyTreeWidget);
        item->setText(0, TicketLabels::received(it->createdAt));
        item->setText(1, it->model.isEmpty()
                             ? TicketLabels::provider(it->provider)
                             : TicketLabels::provider(it->provider) + u" · " + it->model);
        item->setText(2, CategoryPalette::displayName(it->category));
        item->setText(3, TicketLabels::confidence(it->confidence));
    }
    m_ui->historyTreeWidget->resizeColumnToContents(0);

    m_ui->activityTreeWidget->clear();
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        auto *item = new QTreeWidgetItem(m_ui->activityTreeWidget);
        item->setText(0, TicketLabels::received(it->at));
        item->setText(1, AccountLabels::actor(it->actor));
        item->setText(2, TicketLabels::change(*it));
    }
    m_ui->activityTreeWidget->resizeColumnToContents(0);
    m_ui->activityTreeWidget->resizeColumnToContents(1);
}
