#include "newtokendialog.h"

#include "ui_newtokendialog.h"

NewTokenDialog::NewTokenDialog(QWidget *parent)
    : SubmitFormDialog(parent)
    , m_ui(std::make_unique<Ui::NewTokenDialog>())
{
    m_ui->setupUi(this);
    connect(m_ui->expiresCheckBox, &QCheckBox::toggled, m_ui->expiryDaysSpinBox,
            &QWidget::setEnabled);
    setUpSubmitting(m_ui->buttonBox, tr("&Create"), m_ui->errorLabel);
}

NewTokenDialog::~NewTokenDialog() = default;

QString NewTokenDialog::name() const
{
    return m_ui->nameLineEdit->text().trimmed();
}

Scopes NewTokenDialog::scopes() const
{
    Scopes scopes;
    scopes.setFlag(Scope::TicketsRead, m_ui->ticketsReadCheckBox->isChecked());
    scopes.setFlag(Scope::TicketsWrite, m_ui->ticketsWriteCheckBox->isChecked());
    scopes.setFlag(Scope::StatsRead, m_ui->statsReadCheckBox->isChecked());
    scopes.setFlag(Scope::RepliesWrite, m_ui->repliesWriteCheckBox->isChecked());
    scopes.setFlag(Scope::FeedbackWrite, m_ui->feedbackWriteCheckBox->isChecked());
    scopes.setFlag(Scope::EventsRead, m_ui->eventsReadCheckBox->isChecked());
    scopes.setFlag(Scope::WebhooksManage, m_ui->webhooksManageCheckBox->isChecked());
    return scopes;
}

std::optional<int> NewTokenDialog::expiresInDays() const
{
    if (!m_ui->expiresCheckBox->isChecked())
        return std::nullopt;
    return m_ui->expiryDaysSpinBox->value();
}
