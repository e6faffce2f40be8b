#include "userformdialog.h"

#include "accountlabels.h"
#include "ui_userformdialog.h"

UserFormDialog::UserFormDialog(Purpose purpose, const QString &userName, QWidget *parent)
    : SubmitFormDialog(parent)
    , m_ui(std::make_unique<Ui::UserFormDialog>())
{
    m_ui->setupUi(this);
    for (const Role role : kAllRoles)
        m_ui->roleComboBox->addItem(AccountLabels::role(role), int(role));
    m_ui->rulesLabel->setForegroundRole(QPalette::PlaceholderText);

    if (purpose == Purpose::NewPassword) {
        setWindowTitle(tr("Set Password of %1").arg(userName));
        m_ui->userNameLineEdit->setText(userName);
        m_ui->userNameLineEdit->setReadOnly(true);
        m_ui->userNameLineEdit->setFocusPolicy(Qt::NoFocus);
        // Changing a role is not a password matter; the row goes rather than showing a choice
        // that does nothing.
        m_ui->formLayout->setRowVisible(m_ui->roleComboBox, false);
        m_ui->passwordLineEdit->setFocus(Qt::OtherFocusReason);
    }
    // Hashing takes a moment; the form waits for it with OK disabled.
    setUpSubmitting(m_ui->buttonBox, purpose == Purpose::NewUser ? tr("&Add") : tr("&Set Password"),
                    m_ui->errorLabel);
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

bool UserFormDialog::checkEntries()
{
    if (userName().isEmpty()) {
        showProblem(tr("Enter a user name."));
        m_ui->userNameLineEdit->setFocus();
        return false;
    }
    if (password() != m_ui->repeatLineEdit->text()) {
        showProblem(tr("The two passwords differ; type the same one twice."));
        m_ui->repeatLineEdit->clear();
        m_ui->repeatLineEdit->setFocus();
        return false;
    }
    return true;
}
