#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class OneTimeSecretDialog;
}

// Shows a new secret (an API token's, a webhook's signing secret) the one time it exists outside
// the system that will use it, with a button to copy it and advice on what to do with it.
// Nothing keeps the secret once the dialog is gone.
class OneTimeSecretDialog final : public QDialog
{
    Q_OBJECT

public:
    // created: what was made, ending with a colon before the secret.
    OneTimeSecretDialog(const QString &title, const QString &created, const QString &secret,
                        const QString &advice, QWidget *parent = nullptr);
    ~OneTimeSecretDialog() override;
    Q_DISABLE_COPY_MOVE(OneTimeSecretDialog)

private:
    std::unique_ptr<Ui::OneTimeSecretDialog> m_ui;
};
