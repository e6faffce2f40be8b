#pragma once

#include "classification.h"
#include "llmstreampart.h"
#include "similarreplies.h"
#include "ticket.h"
#include "ticketevent.h"
#include "ticketmessage.h"
#include "useraccount.h"

#include <QFutureWatcher>
#include <QHash>
#include <QWidget>

#include <memory>
#include <optional>

class QMenu;

namespace Ui {
class TicketDetailWidget;
}

// A draft put into the reply editor: where it came from, and its text, to tell how much the
// agent changed it.
struct ReplyDraft
{
    DraftOrigin origin;
    QString text;
};

// The selected ticket in full: the conversation as plain text, from the customer's opening
// message on, the AI's verdict with provenance, who holds it, who changed what, the controls to
// change its status or holder or to confirm or correct its category, and an editor for a reply
// or an internal note. A reply not yet sent stays with its ticket while others are shown.
class TicketDetailWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit TicketDetailWidget(QWidget *parent = nullptr);
    ~TicketDetailWidget() override;
    Q_DISABLE_COPY_MOVE(TicketDetailWidget)

    void showTicket(const Ticket &ticket, const QList<TicketMessage> &messages,
                    const QList<Classification> &history, const QList<TicketEvent> &events);
    void showNothing();
    // The ticket on show, or 0.
    qint64 ticketId() const { return m_ticketId; }
    // Whom a ticket can be given to: the enabled users, by name.
    void setAssignees(const QList<UserAccount> &users);
    // A word about the ticket on show, such as why a change was not made; it goes when another
    // ticket is shown.
    void showNotice(const QString &notice);
    // Opens the list of people to give the ticket to, for the keyboard.
    void chooseAssignee();
    // Moves the keyboard to the reply editor.
    void focusReply();
    // The outcome of replyRequested(): a reply stored empties its editor; one that was not keeps
    // its text, to send again.
    void replyStored(qint64 ticketId);
    void replyNotStored();
    // The answer to draftRequested() without a remote model: the best suggestion goes into the
    // editor, where Ctrl+Z brings back what was there, and the others can be picked instead.
    void showSuggestions(qint64 ticketId, const QList<ReplySuggestion> &suggestions);
    // The answer with one: the draft is written into the editor as it streams in, and can be
    // stopped. If the model fails before its first words, the suggestions are offered instead.
    void streamDraft(qint64 ticketId, const QString &model, QFuture<LlmStreamPart> stream,
                     const QList<ReplySuggestion> &suggestions);
    bool isDrafting() const { return m_stream.isRunning(); }
    void stopDrafting();

Q_SIGNALS:
    void acceptCategoryRequested();
    void categoryChosen(Category category);
    void statusChosen(TicketStatus status);
    // A user's name, or an empty one for nobody.
    void assigneeChosen(const QString &name);
    void takeRequested();
    // The editor's text, checked to be sendable, for the ticket on show; statusAfter when the
    // agent chose one, and the draft it began as, if any.
    void replyRequested(const QString &body, MessageVisibility visibility,
                        std::optional<TicketStatus> statusAfter,
                        const std::optional<ReplyDraft> &draft);
    void draftRequested();

private:
    void showAssignee(const QString &name);
    void showConversation(const Ticket &ticket, const QList<TicketMessage> &messages);
    void sendReply();
    void keepUnsentReply();
    void useDraftOption(int index);
    void showDraftSource();
    void streamedPart(int index);
    void streamFinished();
    void updateDraftButton();
    void updateSendButton();

    QList<TicketMessage> m_shownMessages;
    // Replies begun on other tickets, by ticket id.
    QHash<qint64, QString> m_unsentReplies;
    // What was offered and which draft the editor holds, by ticket id, until sent.
    struct DraftOption
    {
        QString label;
        ReplyDraft draft;
    };
    struct Drafting
    {
        QList<DraftOption> options;
        ReplyDraft draft;
    };
    QHash<qint64, Drafting> m_drafting;
    static QList<DraftOption> optionsFrom(const QList<ReplySuggestion> &suggestions);
    // The remote draft streaming into the editor, for m_streamTicket.
    QFutureWatcher<LlmStreamPart> m_stream;
    qint64 m_streamTicket = 0;
    QString m_streamModel;
    QString m_streamed;
    QString m_streamError;
    QList<ReplySuggestion> m_streamFallback;
    bool m_sending = false;

    std::unique_ptr<Ui::TicketDetailWidget> m_ui;
    qint64 m_ticketId = 0;
    QString m_assignee;
    QMenu *m_assigneeMenu;
};
