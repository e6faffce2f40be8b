#include "signindialog.h"

#include "database.h"
#include "databaselocation.h"
#include "storagethread.h"
#include "ticketservice.h"
#include "ui_signindialog.h"
#include "useraccounts.h"

#include <QPushButton>

SignInDialog::SignInDialog(TicketService &tickets, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SignInDialog>())
    , m_database(tickets.database())
    , m_store(new StorageThread(tickets, this))
{
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Sign In"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setText(tr("&Quit"));
    QFont heading = m_ui->headingLabel->font();
    heading.setPointSizeF(heading.pointSizeF() * 1.25);
    heading.setBold(true);
    m_ui->headingLabel->setFont(heading);
    m_ui->databaseLabel->setText(
        tr("Database: %1").arg(DatabaseLocation::redacted(m_database.config())));
    m_ui->databaseLabel->setForegroundRole(QPalette::PlaceholderText);
    m_ui->messageLabel->hide();

    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SignInDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    // Only this dialog's calls run on its thread, so every failure reported is one of ours.
    connect(m_store, &StorageThread::storageFailed, this,
            [this](const QString &message) { m_storageProblem = message; });
    lookForUsers();
}

SignInDialog::~SignInDialog() = default;

void SignInDialog::setUserName(const QString &name)
{
    m_ui->userNameLineEdit->setText(name);
    m_ui->passwordLineEdit->setFocus(Qt::OtherFocusReason);
}

void SignInDialog::lookForUsers()
{
    m_store
        ->run([database = &m_database](TicketSession &) {
            return UserAccounts(*database).list().isEmpty();
        })
        .then(this, [this](std::optional<bool> noUsers) {
            // A sign-in that has started answers for itself.
            if (noUsers && *noUsers && !m_checking)
                showMessage(noUsersMessage(), false);
        });
}

void SignInDialog::accept()
{
    if (m_checking)
        return;
    const QString name = m_ui->userNameLineEdit->text().trimmed();
    const QString password = m_ui->passwordLineEdit->text();
    if (name.isEmpty() || password.isEmpty()) {
        showMessage(tr("Enter your user name and password."), true);
        (name.isEmpty() ? m_ui->userNameLineEdit : m_ui->passwordLineEdit)->setFocus();
        return;
    }
    setChecking(true);
    m_storageProblem.clear();
    m_store
        ->run([database = &m_database, name, password](TicketSession &) {
            UserAccounts accounts(*database);
            Attempt attempt;
            attempt.account = accounts.signIn(name, password);
            if (attempt.account)
                attempt.account->passwordHash.clear(); // the window has no use for it
            else
                attempt.noUsers = accounts.list().isEmpty();
            return attempt;
        })
        .then(this, [this](const std::optional<Attempt> &attempt) { finishAttempt(attempt); });
}

void SignInDialog::finishAttempt(const std::optional<Attempt> &attempt)
{
    setChecking(false);
    if (attempt && attempt->account) {
        m_account = attempt->account;
        QDialog::accept();
        return;
    }
    if (!attempt) {
        showMessage(tr("The database did not answer, so nobody can sign in right now: %1")
                        .arg(m_storageProblem),
                    true);
    } else if (attempt->noUsers) {
        showMessage(noUsersMessage(), true);
    } else {
        // The same words for an unknown name, a wrong password and a disabled account, so that
        // guessing learns nothing about which names exist.
        showMessage(tr("Sign-in refused: the user name or the password is not right, or the "
                       "account is disabled."),
                    true);
    }
    m_ui->passwordLineEdit->clear();
    m_ui->passwordLineEdit->setFocus(Qt::OtherFocusReason);
    Q_EMIT signInRefused();
}

void SignInDialog::setChecking(bool checking)
{
    m_checking = checking;
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!checking);
    m_ui->userNameLineEdit->setReadOnly(checking);
    m_ui->passwordLineEdit->setReadOnly(checking);
    if (checking)
        showMessage(tr("Checking…"), false);
}

void SignInDialog::showMessage(const QString &text, bool problem)
{
    QPalette palette = m_ui->messageLabel->palette();
    palette.setColor(QPalette::WindowText, problem ? QColor(0xC0, 0x39, 0x2B)
                                                   : this->palette().color(QPalette::WindowText));
    m_ui->messageLabel->setPalette(palette);
    m_ui->messageLabel->setText(text);
    m_ui->messageLabel->show();
}

QString SignInDialog::noUsersMessage() const
{
    return tr("This database has no users yet, so nobody can sign in. Whoever holds the "
              "database credentials makes the first admin, with the same database, by "
              "running:\n\nsupport-console users add NAME --role admin");
}
