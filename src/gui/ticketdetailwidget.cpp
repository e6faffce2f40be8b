#include "ticketdetailwidget.h"

#include "accountlabels.h"
#include "categorypalette.h"
#include "plaintext.h"
#include "ticketlabels.h"
#include "ui_ticketdetailwidget.h"

#include <QActionGroup>
#include <QFont>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QShortcut>
#include <QTextCursor>

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

QString authorLabel(const TicketMessage &message, const Ticket &ticket)
{
    switch (message.author) {
    case MessageAuthor::Customer:
        return ticket.requester.isEmpty()
                   ? QCoreApplication::translate("TicketDetailWidget", "Customer")
                   : QCoreApplication::translate("TicketDetailWidget", "Customer (%1)")
                         .arg(ticket.requester);
    case MessageAuthor::Agent:
        return message.authorName;
    case MessageAuthor::Integration:
        return QCoreApplication::translate("TicketDetailWidget", "%1 (integration)")
            .arg(message.authorName);
    }
    return {};
}

QString deliveryLabel(const TicketMessage &message)
{
    if (!message.delivery)
        return {};
    switch (*message.delivery) {
    case DeliveryStatus::Pending:
        return QCoreApplication::translate("TicketDetailWidget", "waiting for delivery");
    case DeliveryStatus::Delivered:
        return QCoreApplication::translate("TicketDetailWidget", "delivered");
    case DeliveryStatus::Failed:
        return message.deliveryError.isEmpty()
                   ? QCoreApplication::translate("TicketDetailWidget", "delivery failed")
                   : QCoreApplication::translate("TicketDetailWidget", "delivery failed: %1")
                         .arg(message.deliveryError);
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

    m_ui->statusAfterComboBox->addItem(tr("Keep status"));
    for (const TicketStatus status : kAllTicketStatuses)
        m_ui->statusAfterComboBox->addItem(TicketLabels::status(status), int(status));
    m_ui->conversationSplitter->setStretchFactor(0, 3);
    m_ui->conversationSplitter->setStretchFactor(1, 1);
    connect(m_ui->replyPlainTextEdit, &QPlainTextEdit::textChanged, this,
            &TicketDetailWidget::updateSendButton);
    connect(m_ui->replyKindComboBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        const bool note = index == 1;
        m_ui->replyPlainTextEdit->setPlaceholderText(note ? tr("Write a note for the team…")
                                                          : tr("Write a reply to the customer…"));
        m_ui->sendReplyButton->setText(note ? tr("Add Note") : tr("Send"));
    });
    connect(m_ui->sendReplyButton, &QPushButton::clicked, this, &TicketDetailWidget::sendReply);
    connect(m_ui->draftReplyButton, &QPushButton::clicked, this, [this] {
        if (isDrafting())
            stopDrafting();
        else
            Q_EMIT draftRequested();
    });
    connect(m_ui->draftSuggestionComboBox, &QComboBox::activated, this,
            &TicketDetailWidget::useDraftOption);
    connect(&m_stream, &QFutureWatcherBase::resultReadyAt, this, &TicketDetailWidget::streamedPart);
    connect(&m_stream, &QFutureWatcherBase::finished, this, &TicketDetailWidget::streamFinished);
    m_ui->draftSourceWidget->hide();
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, m_ui->replyWidget);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &TicketDetailWidget::sendReply);
    }
    // In the editor, D is a letter: these reach the draft from there.
    auto *draftShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_D), m_ui->replyWidget);
    draftShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(draftShortcut, &QShortcut::activated, m_ui->draftReplyButton, &QPushButton::click);
    auto *stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), m_ui->replyWidget);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &TicketDetailWidget::stopDrafting);
    updateSendButton();
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
    stopDrafting();
    keepUnsentReply();
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

void TicketDetailWidget::showTicket(const Ticket &ticket, const QList<TicketMessage> &messages,
                                    const QList<Classification> &history,
                                    const QList<TicketEvent> &events)
{
    const bool sameTicket = m_ticketId == ticket.id;
    if (!sameTicket) {
        showNotice(QString());
        stopDrafting();
        keepUnsentReply();
        m_ui->replyPlainTextEdit->setPlainText(m_unsentReplies.take(ticket.id));
        m_ui->replyKindComboBox->setCurrentIndex(0);
        m_ui->statusAfterComboBox->setCurrentIndex(0);
    }
    m_ticketId = ticket.id;
    if (!sameTicket)
        showDraftSource();
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

    if (!sameTicket || messages != m_shownMessages)
        showConversation(ticket, messages);

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

void TicketDetailWidget::showConversation(const Ticket &ticket,
                                          const QList<TicketMessage> &messages)
{
    m_shownMessages = messages;
    QPlainTextEdit *view = m_ui->conversationPlainTextEdit;
    QTextDocument *document = view->document();
    document->clear();
    // insertText() takes text as text, never as markup: a customer's "<b>" stays "<b>".
    QTextCursor cursor(document);
    QTextCharFormat heading;
    heading.setFontWeight(QFont::Bold);
    QTextCharFormat body;
    QTextCharFormat note;
    note.setBackground(palette().color(QPalette::ToolTipBase));
    note.setForeground(palette().color(QPalette::ToolTipText));
    const auto addEntry = [&](const QStringList &heads, const QString &text, bool internal) {
        if (!cursor.atStart()) {
            cursor.insertBlock();
            cursor.insertBlock();
        }
        cursor.insertText(heads.join(u" · "), heading);
        cursor.insertBlock();
        cursor.insertText(text, internal ? note : body);
    };

    TicketMessage openingMessage;
    openingMessage.author = MessageAuthor::Customer;
    const QStringList opening{authorLabel(openingMessage, ticket),
                              TicketLabels::received(ticket.createdAt)};
    addEntry(opening, ticket.form == TicketForm::SubjectBody ? ticket.body : ticket.text(), false);
    for (const TicketMessage &message : messages) {
        const bool internal = message.visibility == MessageVisibility::Internal;
        QStringList heads{internal ? tr("Internal note by %1").arg(authorLabel(message, ticket))
                                   : authorLabel(message, ticket),
                          TicketLabels::received(message.createdAt)};
        if (message.draft)
            heads.append(tr("from an AI draft (%1)").arg(message.draft->provider));
        if (const QString delivery = deliveryLabel(message); !delivery.isEmpty())
            heads.append(delivery);
        addEntry(heads, message.body, internal);
    }
    // The newest message is what an agent answers; a ticket without replies reads from the top.
    if (messages.isEmpty())
        view->verticalScrollBar()->setValue(0);
    else
        view->moveCursor(QTextCursor::End);
}

void TicketDetailWidget::focusReply()
{
    if (m_ticketId != 0)
        m_ui->replyPlainTextEdit->setFocus(Qt::ShortcutFocusReason);
}

void TicketDetailWidget::updateSendButton()
{
    // Nothing is typed into a reply on its way or a draft still being written: the one would be
    // lost when the editor empties, the other mixed into the model's words.
    const bool busy = m_sending || isDrafting();
    m_ui->replyPlainTextEdit->setReadOnly(busy);
    m_ui->sendReplyButton->setEnabled(!busy &&
                                      !PlainText::isBlank(m_ui->replyPlainTextEdit->toPlainText()));
}

void TicketDetailWidget::sendReply()
{
    if (m_ticketId == 0 || m_sending || isDrafting() || !m_ui->sendReplyButton->isEnabled())
        return;
    TicketMessage message;
    message.body = m_ui->replyPlainTextEdit->toPlainText();
    if (const FieldErrors errors = message.validate(); !errors.isEmpty()) {
        showNotice(tr("The reply %1.").arg(errors.constFirst().message));
        return;
    }
    const QVariant status = m_ui->statusAfterComboBox->currentData();
    const bool note = m_ui->replyKindComboBox->currentIndex() == 1;
    // A note built from a draft is not a reply the customer was sent.
    const auto drafting = m_drafting.constFind(m_ticketId);
    const std::optional<ReplyDraft> draft =
        drafting != m_drafting.cend() && !note ? std::optional(drafting->draft) : std::nullopt;
    m_sending = true;
    updateSendButton();
    Q_EMIT replyRequested(
        message.body, note ? MessageVisibility::Internal : MessageVisibility::Public,
        status.isValid() ? std::optional(TicketStatus(status.toInt())) : std::nullopt, draft);
}

void TicketDetailWidget::replyStored(qint64 ticketId)
{
    m_sending = false;
    m_drafting.remove(ticketId);
    if (ticketId == m_ticketId) {
        m_ui->replyPlainTextEdit->clear();
        m_ui->statusAfterComboBox->setCurrentIndex(0);
        showNotice(QString());
        showDraftSource();
    } else {
        m_unsentReplies.remove(ticketId);
    }
    updateSendButton();
}

void TicketDetailWidget::replyNotStored()
{
    m_sending = false;
    updateSendButton();
}

void TicketDetailWidget::keepUnsentReply()
{
    const QString text = m_ui->replyPlainTextEdit->toPlainText();
    if (m_ticketId != 0 && !PlainText::isBlank(text))
        m_unsentReplies.insert(m_ticketId, text);
}

QList<TicketDetailWidget::DraftOption>
TicketDetailWidget::optionsFrom(const QList<ReplySuggestion> &suggestions)
{
    QList<DraftOption> options;
    for (const ReplySuggestion &suggestion : suggestions) {
        const QString label =
            tr("#%1 · %2 % alike · %3")
                .arg(suggestion.ticketId)
                .arg(qRound(suggestion.similarity * 100))
                .arg(suggestion.subject.isEmpty() ? tr("(no subject)") : suggestion.subject);
        options.append(
            {label,
             {{DraftOrigin::kLocalProvider, DraftOrigin::kLocalModel, 0}, suggestion.reply}});
    }
    return options;
}

void TicketDetailWidget::showSuggestions(qint64 ticketId, const QList<ReplySuggestion> &suggestions)
{
    if (ticketId != m_ticketId)
        return; // the agent moved on; asking again is one key away
    if (suggestions.isEmpty()) {
        showNotice(tr("No answered ticket reads like this one yet, so there is nothing to draft "
                      "from."));
        return;
    }
    m_drafting.insert(ticketId, {optionsFrom(suggestions), {}});
    useDraftOption(0);
    showDraftSource();
    m_ui->replyPlainTextEdit->setFocus(Qt::OtherFocusReason);
}

void TicketDetailWidget::useDraftOption(int index)
{
    const auto drafting = m_drafting.find(m_ticketId);
    if (drafting == m_drafting.end() || index < 0 || index >= drafting->options.size())
        return;
    drafting->draft = drafting->options.at(index).draft;
    // Through the cursor, not setPlainText(), so that Ctrl+Z brings back what was there.
    QTextCursor cursor(m_ui->replyPlainTextEdit->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(drafting->draft.text);
    m_ui->replyKindComboBox->setCurrentIndex(0);
}

void TicketDetailWidget::showDraftSource()
{
    const auto drafting = m_drafting.constFind(m_ticketId);
    QComboBox *sources = m_ui->draftSuggestionComboBox;
    sources->clear();
    if (drafting == m_drafting.cend() || drafting->options.isEmpty()) {
        m_ui->draftSourceWidget->hide();
        return;
    }
    int current = 0;
    for (const DraftOption &option : drafting->options) {
        if (option.draft.text == drafting->draft.text)
            current = sources->count();
        sources->addItem(option.label);
    }
    sources->setCurrentIndex(current);
    m_ui->draftSourceWidget->show();
}

void TicketDetailWidget::streamDraft(qint64 ticketId, const QString &model,
                                     QFuture<LlmStreamPart> stream,
                                     const QList<ReplySuggestion> &suggestions)
{
    if (ticketId != m_ticketId) {
        stream.cancel();
        return;
    }
    stopDrafting();
    m_streamTicket = ticketId;
    m_streamModel = model;
    m_streamed.clear();
    m_streamError.clear();
    m_streamFallback = suggestions;
    showNotice(QString());
    m_ui->replyKindComboBox->setCurrentIndex(0);
    m_stream.setFuture(stream);
    updateDraftButton();
}

void TicketDetailWidget::stopDrafting()
{
    if (m_stream.isRunning())
        m_stream.cancel();
}

void TicketDetailWidget::streamedPart(int index)
{
    const LlmStreamPart part = m_stream.resultAt(index);
    if (part.isError()) {
        m_streamError = part.error;
        return;
    }
    if (part.text.isEmpty() || m_streamTicket != m_ticketId)
        return;
    QTextCursor cursor(m_ui->replyPlainTextEdit->document());
    if (m_streamed.isEmpty()) {
        // The first words replace what was there, in one step Ctrl+Z takes back.
        cursor.select(QTextCursor::Document);
        cursor.insertText(part.text);
    } else {
        cursor.movePosition(QTextCursor::End);
        cursor.joinPreviousEditBlock();
        cursor.insertText(part.text);
        cursor.endEditBlock();
    }
    m_streamed += part.text;
}

void TicketDetailWidget::streamFinished()
{
    const qint64 ticketId = std::exchange(m_streamTicket, 0);
    updateDraftButton();
    if (ticketId != m_ticketId)
        return;
    QList<DraftOption> options = optionsFrom(m_streamFallback);
    if (!m_streamed.isEmpty()) {
        const ReplyDraft remote{{DraftOrigin::kRemoteProvider, m_streamModel, 0}, m_streamed};
        options.prepend({tr("Drafted by %1").arg(m_streamModel), remote});
        m_drafting.insert(ticketId, {options, remote});
        showDraftSource();
        if (!m_streamError.isEmpty())
            showNotice(tr("The draft stopped before it was complete: %1").arg(m_streamError));
        return;
    }
    if (m_streamError.isEmpty())
        return; // stopped before the first words: the editor is as it was
    // Nothing came: the suggestions of similar tickets are the next best thing.
    showSuggestions(ticketId, m_streamFallback);
    showNotice(m_streamFallback.isEmpty()
                   ? tr("The remote model could not draft a reply: %1").arg(m_streamError)
                   : tr("The remote model could not draft a reply (%1), so the draft comes from "
                        "a similar ticket.")
                         .arg(m_streamError));
}

void TicketDetailWidget::updateDraftButton()
{
    const bool drafting = isDrafting();
    m_ui->draftReplyButton->setText(drafting ? tr("Stop Drafting") : tr("Draft Reply"));
    m_ui->draftReplyButton->setToolTip(
        drafting ? tr("Stop the draft and keep what is written (Esc)")
                 : tr("Draft a reply to edit before you send it (D, or Ctrl+D in the editor)"));
    updateSendButton();
}
