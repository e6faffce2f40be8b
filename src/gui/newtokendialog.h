#pragma once

#include "scope.h"
#include "submitformdialog.h"

#include <memory>
#include <optional>

namespace Ui {
class NewTokenDialog;
}

// The form for a new integration token: its name, its scopes and when it expires. Whoever
// opened it makes the token off the GUI thread and either closes it with finish() or shows the
// refusal with showProblem().
class NewTokenDialog final : public SubmitFormDialog
{
    Q_OBJECT

public:
    explicit NewTokenDialog(QWidget *parent = nullptr);
    ~NewTokenDialog() override;
    Q_DISABLE_COPY_MOVE(NewTokenDialog)

    QString name() const;
    Scopes scopes() const;
    // None: never.
    std::optional<int> expiresInDays() const;

private:
    std::unique_ptr<Ui::NewTokenDialog> m_ui;
};
