#pragma once

#include "classification.h"
#include "ticket.h"
#include "ticketevent.h"
#include "useraccount.h"

#include <QWidget>

#include <memory>

class QMenu;

namespace Ui {
class TicketDetailWidget;
}

// The selected ticket in full: its text as plain text, the AI's verdict with provenance, who
// holds it, who changed what, and the controls to change its status or holder or to confirm or
// correct its category.
class TicketDetailWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit TicketDetailWidget(QWidget *parent = nullptr);
    ~TicketDetailWidget() override;
    Q_DISABLE_COPY_MOVE(TicketDetailWidget)

    void showTicket(const Ticket &ticket, const QList<Classification> &history,
                    const QList<TicketEvent> &events);
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

Q_SIGNALS:
    void acceptCategoryRequested();
    void categoryChosen(Category category);
    void statusChosen(TicketStatus status);
    // A user's name, or an empty one for nobody.
    void assigneeChosen(const QString &name);
    void takeRequested();

private:
    void showAssignee(const QString &name);

    std::unique_ptr<Ui::TicketDetailWidget> m_ui;
    qint64 m_ticketId = 0;
    QString m_assignee;
    QMenu *m_assigneeMenu;
};
