#pragma once

#include "actor.h"
#include "useraccounts.h"

#include <QDialog>

#include <functional>
#include <memory>

class AdminListPanel;
class Database;
class StorageThread;
class UserFormDialog;
class UserListModel;

namespace Ui {
class UsersDialog;
}

// The admins' user list: who may sign in, with which role; adding users, disabling and
// enabling them, setting a password. Every change goes through UserAccounts on a storage
// thread (hashing a password takes a tenth of a second), and a refusal is shown as it is worded.
class UsersDialog final : public QDialog
{
    Q_OBJECT

public:
    // actor: the signed-in admin, who is named in the log and may not disable themselves.
    UsersDialog(StorageThread &store, const Database &database, const Actor &actor,
                QWidget *parent = nullptr);
    ~UsersDialog() override;
    Q_DISABLE_COPY_MOVE(UsersDialog)

    UserListModel *model() const { return m_model; }

private:
    using Change = std::function<UserAccounts::Outcome(UserAccounts &)>;
    void reload();
    void addUser();
    void setPassword();
    void setDisabled(bool disabled);
    // Runs the change on the storage thread; a refusal goes to the form when there is one.
    void change(const Change &work, const QString &done, UserFormDialog *form = nullptr);
    const UserAccount *selectedUser() const;
    void updateButtons();

    std::unique_ptr<Ui::UsersDialog> m_ui;
    StorageThread &m_store;
    const Database &m_database;
    const Actor m_actor;
    UserListModel *m_model;
    AdminListPanel *m_list;
};
