#pragma once

#include "useraccount.h"

#include <QDialog>

#include <memory>
#include <optional>

class Database;
class StorageThread;
class TicketService;

namespace Ui {
class SignInDialog;
}

// Asks a person for their user name and password before the window opens on a shared
// database. The password is checked on a storage thread, since Argon2id takes a tenth of a
// second and 64 MiB; a refusal never says whether the name or the password was wrong.
class SignInDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SignInDialog(TicketService &tickets, QWidget *parent = nullptr);
    ~SignInDialog() override;
    Q_DISABLE_COPY_MOVE(SignInDialog)

    void setUserName(const QString &name);
    // Who signed in, once the dialog was accepted; never with the password's hash.
    const std::optional<UserAccount> &account() const { return m_account; }

    // Checks the name and password; the dialog closes once they are right.
    void accept() override;

Q_SIGNALS:
    // A check ended without a sign-in (refused, or the database did not answer).
    void signInRefused();

private:
    struct Attempt
    {
        std::optional<UserAccount> account;
        // Nobody can sign in before someone makes the first admin.
        bool noUsers = false;
    };
    void lookForUsers();
    void finishAttempt(const std::optional<Attempt> &attempt);
    void setChecking(bool checking);
    void showMessage(const QString &text, bool problem);
    QString noUsersMessage() const;

    std::unique_ptr<Ui::SignInDialog> m_ui;
    const Database &m_database;
    StorageThread *m_store;
    std::optional<UserAccount> m_account;
    bool m_checking = false;
    QString m_storageProblem;
};
