#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class TokenSecretDialog;
}

// Shows a new token's secret the one time it exists outside the system that will use it, with
// a button to copy it. Nothing keeps the secret once the dialog is gone.
class TokenSecretDialog final : public QDialog
{
    Q_OBJECT

public:
    TokenSecretDialog(const QString &tokenName, const QString &secret, QWidget *parent = nullptr);
    ~TokenSecretDialog() override;
    Q_DISABLE_COPY_MOVE(TokenSecretDialog)

private:
    std::unique_ptr<Ui::TokenSecretDialog> m_ui;
};
