#include "usersdialog.h"

#include "accountlabels.h"
#include "adminlistpanel.h"
#include "storagethread.h"
#include "ui_usersdialog.h"
#include "userformdialog.h"
#include "userlistmodel.h"

#include <QPointer>

UsersDialog::UsersDialog(StorageThread &store, const Database &database, const Actor &actor,
                         QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::UsersDialog>())
    , m_store(store)
    , m_database(database)
    , m_actor(actor)
    , m_model(new UserListModel(this))
{
    m_ui->setupUi(this);
    m_list = new AdminListPanel(m_ui->usersTableView, m_model, UserListModel::RawValueRole,
                                UserListModel::NameColumn, m_ui->messageLabel, m_store, this);
    m_ui->usersTableView->sortByColumn(UserListModel::NameColumn, Qt::AscendingOrder);

    connect(m_ui->addUserPushButton, &QPushButton::clicked, this, &UsersDialog::addUser);
    connect(m_ui->passwordPushButton, &QPushButton::clicked, this, &UsersDialog::setPassword);
    connect(m_ui->disablePushButton, &QPushButton::clicked, this, [this] { setDisabled(true); });
    connect(m_ui->enablePushButton, &QPushButton::clicked, this, [this] { setDisabled(false); });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->usersTableView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsersDialog::updateButtons);
    // A row that changes state (disabled, enabled) changes what its buttons may do.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UsersDialog::updateButtons);
    updateButtons();
    reload();
}

UsersDialog::~UsersDialog() = default;

void UsersDialog::reload()
{
    const int read = m_list->readStarted();
    m_store
        .run([database = &m_database](TicketSession &) {
            QList<UserAccount> users = UserAccounts(*database).list();
            for (UserAccount &user : users)
                user.passwordHash.clear(); // a list has no use for them
            return users;
        })
        .then(this, [this, read](const std::optional<QList<UserAccount>> &users) {
            m_list->callFinished();
            // A later read's list is the one to show; only the buttons learn the call ended.
            if (!m_list->isLatestRead(read)) {
                updateButtons();
                return;
            }
            if (!users) {
                m_list->showMessage(
                    tr("The users could not be read: %1").arg(m_list->storageProblem()), true);
                return;
            }
            m_model->replaceRows(*users);
            updateButtons();
        });
}

void UsersDialog::addUser()
{
    auto *form = new UserFormDialog(UserFormDialog::Purpose::NewUser, QString(), this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &UserFormDialog::submitted, this, [this, form] {
        const QString name = form->userName();
        const Role role = form->role();
        change([name, role, password = form->password(), actor = m_actor](
                   UserAccounts &accounts) { return accounts.add(name, role, password, actor); },
               tr("Added %1 as %2.").arg(name, AccountLabels::role(role)), form);
    });
    form->open();
}

void UsersDialog::setPassword()
{
    const UserAccount *user = selectedUser();
    if (!user)
        return;
    auto *form = new UserFormDialog(UserFormDialog::Purpose::NewPassword, user->name, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &UserFormDialog::submitted, this, [this, form] {
        const QString name = form->userName();
        change([name, password = form->password(), actor = m_actor](
                   UserAccounts &accounts) { return accounts.setPassword(name, password, actor); },
               tr("Changed the password of %1.").arg(name), form);
    });
    form->open();
}

void UsersDialog::setDisabled(bool disabled)
{
    const UserAccount *user = selectedUser();
    if (!user)
        return;
    const QString name = user->name;
    change(
        [name, disabled, actor = m_actor](UserAccounts &accounts) {
            return disabled ? accounts.disable(name, actor) : accounts.enable(name, actor);
        },
        disabled ? tr("Disabled %1: they can no longer sign in.").arg(name)
                 : tr("Enabled %1: they can sign in again.").arg(name));
}

void UsersDialog::change(const Change &work, const QString &done, UserFormDialog *form)
{
    m_list->changeStarted();
    updateButtons();
    m_store
        .run([database = &m_database, work](TicketSession &) {
            UserAccounts accounts(*database);
            return work(accounts);
        })
        .then(this, [this, done, form = QPointer<UserFormDialog>(form)](
                        const std::optional<UserAccounts::Outcome> &outcome) {
            m_list->callFinished();
            const QString problem =
                outcome ? outcome->problem
                        : tr("The database did not answer: %1").arg(m_list->storageProblem());
            if (problem.isEmpty()) {
                if (form)
                    form->finish();
                m_list->showMessage(done, false);
            } else if (form) {
                form->showProblem(problem);
            } else {
                m_list->showMessage(problem, true);
            }
            updateButtons();
            reload();
        });
}

const UserAccount *UsersDialog::selectedUser() const
{
    return m_model->rowAt(m_list->selectedRow());
}

void UsersDialog::updateButtons()
{
    const UserAccount *user = selectedUser();
    const bool idle = m_list->idle();
    // Locking oneself out is never what an admin means; another admin can do it if it is.
    const bool self = user && user->name == m_actor.name;
    m_ui->passwordPushButton->setEnabled(idle && user);
    m_ui->disablePushButton->setEnabled(idle && user && !user->disabled && !self);
    m_ui->disablePushButton->setToolTip(
        self
            ? tr("You are signed in as %1; another admin can disable this account.").arg(user->name)
            : QString());
    m_ui->enablePushButton->setEnabled(idle && user && user->disabled);
}
