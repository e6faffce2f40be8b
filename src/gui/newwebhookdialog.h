#pragma once

#include "submitformdialog.h"

#include <QStringList>
#include <QUrl>

#include <memory>

namespace Ui {
class NewWebhookDialog;
}

// The form for a new webhook: the receiver's URL and the change events it is sent. Whoever
// opened it registers the webhook off the GUI thread and either closes it with finish() or
// shows the refusal with showProblem().
class NewWebhookDialog final : public SubmitFormDialog
{
    Q_OBJECT

public:
    explicit NewWebhookDialog(QWidget *parent = nullptr);
    ~NewWebhookDialog() override;
    Q_DISABLE_COPY_MOVE(NewWebhookDialog)

    QUrl url() const;
    // ChangeEvent::types() that are ticked, in that order.
    QStringList eventTypes() const;

private:
    bool checkEntries() override;

    std::unique_ptr<Ui::NewWebhookDialog> m_ui;
};
