#pragma once

#include "scope.h"

#include <QDialog>

#include <memory>
#include <optional>

namespace Ui {
class NewTokenDialog;
}

// The form for a new integration token: its name, its scopes and when it expires. Whoever
// opened it makes the token off the GUI thread and either closes it with finish() or shows the
// refusal with showProblem().
class NewTokenDialog final : public QDialog
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

    // Announces submitted(); the form stays open until finish() or showProblem().
    void accept() override;
    void finish();
    void showProblem(const QString &problem);

Q_SIGNALS:
    void submitted();

private:
    void setBusy(bool busy);

    std::unique_ptr<Ui::NewTokenDialog> m_ui;
};
