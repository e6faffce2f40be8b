#pragma once

#include "category.h"
#include "prediction.h"
#include "ticketdraft.h"

#include <QDialog>
#include <QTimer>

#include <memory>
#include <optional>

class LocalClassifier;

namespace Ui {
class NewTicketDialog;
}

// The form an agent types a ticket into. It checks the ticket as the API does, and shows what a
// local classifier makes of the text as the agent types, computed off the GUI thread.
class NewTicketDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewTicketDialog(std::shared_ptr<const LocalClassifier> suggester,
                             QWidget *parent = nullptr);
    ~NewTicketDialog() override;
    Q_DISABLE_COPY_MOVE(NewTicketDialog)

    TicketDraft draft() const;
    // Fills the form again, after a draft could not be stored, so nothing typed is lost.
    void restore(const TicketDraft &draft, std::optional<Category> category);
    // The category the agent chose, if they overrode the AI.
    std::optional<Category> chosenCategory() const;
    std::optional<Prediction> suggestion() const { return m_suggestion; }

    // Stays open and names the problems when the ticket would be refused.
    void accept() override;

Q_SIGNALS:
    void suggestionChanged();

private:
    void updateForm();
    void textEdited();
    void suggest();

    std::unique_ptr<Ui::NewTicketDialog> m_ui;
    std::shared_ptr<const LocalClassifier> m_suggester;
    QTimer m_suggestTimer;
    quint64 m_textGeneration = 0;
    std::optional<Prediction> m_suggestion;
};
