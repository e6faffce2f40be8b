#include "submitformdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

SubmitFormDialog::SubmitFormDialog(QWidget *parent)
    : QDialog(parent)
{}

void SubmitFormDialog::setUpSubmitting(QDialogButtonBox *buttons, const QString &okText,
                                       QLabel *problemLabel)
{
    m_buttons = buttons;
    m_problemLabel = problemLabel;
    m_buttons->button(QDialogButtonBox::Ok)->setText(okText);
    QPalette problemPalette = m_problemLabel->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_problemLabel->setPalette(problemPalette);
    m_problemLabel->hide();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SubmitFormDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SubmitFormDialog::reject);
    const int fitted = heightForWidth(width());
    resize(width(), fitted > 0 ? fitted : sizeHint().height());
}

void SubmitFormDialog::accept()
{
    if (!m_buttons->button(QDialogButtonBox::Ok)->isEnabled() || !checkEntries())
        return;
    m_problemLabel->hide();
    setBusy(true);
    Q_EMIT submitted();
}

void SubmitFormDialog::finish()
{
    setBusy(false);
    QDialog::accept();
}

void SubmitFormDialog::showProblem(const QString &problem)
{
    setBusy(false);
    m_problemLabel->setText(problem);
    m_problemLabel->show();
}

void SubmitFormDialog::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}
