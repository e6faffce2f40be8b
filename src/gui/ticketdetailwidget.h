#pragma once

#include "classification.h"
#include "ticket.h"

#include <QWidget>

#include <memory>

namespace Ui {
class TicketDetailWidget;
}

// The selected ticket in full: its text as plain text, the AI's verdict with provenance and
// history, and the controls to change its status or confirm or correct its category.
class TicketDetailWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit TicketDetailWidget(QWidget *parent = nullptr);
    ~TicketDetailWidget() override;
    Q_DISABLE_COPY_MOVE(TicketDetailWidget)

    void showTicket(const Ticket &ticket, const QList<Classification> &history);
    void showNothing();
    // The ticket on show, or 0.
    qint64 ticketId() const { return m_ticketId; }

Q_SIGNALS:
    void acceptCategoryRequested();
    void categoryChosen(Category category);
    void statusChosen(TicketStatus status);

private:
    std::unique_ptr<Ui::TicketDetailWidget> m_ui;
    qint64 m_ticketId = 0;
};
