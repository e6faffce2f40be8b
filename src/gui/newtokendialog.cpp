#include "newtokendialog.h"

#include "ui_newtokendialog.h"

#include <QPushButton>

NewTokenDialog::NewTokenDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::NewTokenDialog>())
{
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    QPalette errorPalette = m_ui->errorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_ui->errorLabel->setPalette(errorPalette);
    m_ui->errorLabel->hide();
    connect(m_ui->expiresCheckBox, &QCheckBox::toggled, m_ui->expiryDaysSpinBox,
            &QWidget::setEnabled);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &NewTokenDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &NewTokenDialog::reject);
    const int fitted = heightForWidth(width());
    resize(width(), fitted > 0 ? fitted : sizeHint().height());
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
    return scopes;
}

std::optional<int> NewTokenDialog::expiresInDays() const
{
    if (!m_ui->expiresCheckBox->isChecked())
        return std::nullopt;
    return m_ui->expiryDaysSpinBox->value();
}

void NewTokenDialog::accept()
{
    if (!m_ui->buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    m_ui->errorLabel->hide();
    setBusy(true);
    Q_EMIT submitted();
}

void NewTokenDialog::finish()
{
    setBusy(false);
    QDialog::accept();
}

void NewTokenDialog::showProblem(const QString &problem)
{
    setBusy(false);
    m_ui->errorLabel->setText(problem);
    m_ui->errorLabel->show();
}

void NewTokenDialog::setBusy(bool busy)
{
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}
