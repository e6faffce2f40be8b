#include "userformdialog.h"

#include "accountlabels.h"
#include "ui_userformdialog.h"

#include <QPushButton>

UserFormDialog::UserFormDialog(Purpose purpose, const QString &userName, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::UserFormDialog>())
{
    m_ui->setupUi(this);
    for (const Role role : kAllRoles)
        m_ui->roleComboBox->addItem(AccountLabels::role(role), int(role));
    QPalette errorPalette = m_ui->errorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_ui->errorLabel->setPalette(errorPalette);
    m_ui->errorLabel->hide();
    m_ui->rulesLabel->setForegroundRole(QPalette::PlaceholderText);

    if (purpose == Purpose::NewUser) {
        m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Add"));
    } else {
        setWindowTitle(tr("Set Password of %1").arg(userName));
        m_ui->userNameLineEdit->setText(userName);
        m_ui->userNameLineEdit->setReadOnly(true);
        m_ui->userNameLineEdit->setFocusPolicy(Qt::NoFocus);
        // Changing a role is not a password matter; the row goes rather than showing a choice
        // that does nothing.
        m_ui->formLayout->setRowVisible(m_ui->roleComboBox, false);
        m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Set Password"));
        m_ui->passwordLineEdit->setFocus(Qt::OtherFocusReason);
    }
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &UserFormDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &UserFormDialog::reject);
    const int fitted = heightForWidth(width());
    resize(width(), fitted > 0 ? fitted : sizeHint().height());
}

UserFormDialog::~UserFormDialog() = default;

QString UserFormDialog::userName() const
{
    return m_ui->userNameLineEdit->text().trimmed();
}

Role UserFormDialog::role() const
{
    return Role(m_ui->roleComboBox->currentData().toInt());
}

QString UserFormDialog::password() const
{
    return m_ui->passwordLineEdit->text();
}

void UserFormDialog::accept()
{
    if (!m_ui->buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    if (userName().isEmpty()) {
        showProblem(tr("Enter a user name."));
        m_ui->userNameLineEdit->setFocus();
        return;
    }
    if (password() != m_ui->repeatLineEdit->text()) {
        showProblem(tr("The two passwords differ; type the same one twice."));
        m_ui->repeatLineEdit->clear();
        m_ui->repeatLineEdit->setFocus();
        return;
    }
    m_ui->errorLabel->hide();
    setBusy(true);
    Q_EMIT submitted();
}

void UserFormDialog::finish()
{
    setBusy(false);
    QDialog::accept();
}

void UserFormDialog::showProblem(const QString &problem)
{
    setBusy(false);
    m_ui->errorLabel->setText(problem);
    m_ui->errorLabel->show();
}

void UserFormDialog::setBusy(bool busy)
{
    // Hashing takes a moment; a second click meanwhile would submit twice.
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}
