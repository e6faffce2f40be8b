#pragma once

#include "ticketstats.h"

#include <QWidget>

#include <memory>

namespace Ui {
class OutcomesPanel;
}

// What came of the tickets for their customers: satisfaction by category and by whether the
// reply began as an AI draft, how soon the team replied and resolved, and how often each AI
// provider's drafts were sent, and what auto-resolve did. Part of the statistics; shows what
// setStats() hands it.
class OutcomesPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit OutcomesPanel(QWidget *parent = nullptr);
    ~OutcomesPanel() override;
    Q_DISABLE_COPY_MOVE(OutcomesPanel)

    void setStats(const TicketStats &stats);

private:
    void setUpTables();
    void showSatisfaction(const TicketStats &stats);
    void showResponseTimes(const TicketStats &stats);
    void showDrafts(const TicketStats &stats);
    void showAutoResolve(const TicketStats &stats);

    std::unique_ptr<Ui::OutcomesPanel> m_ui;
};
