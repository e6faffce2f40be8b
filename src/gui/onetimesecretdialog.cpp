#include "onetimesecretdialog.h"

#include "ui_onetimesecretdialog.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QPushButton>

OneTimeSecretDialog::OneTimeSecretDialog(const QString &title, const QString &created,
                                         const QString &secret, const QString &advice,
                                         QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::OneTimeSecretDialog>())
{
    m_ui->setupUi(this);
    setWindowTitle(title);
    m_ui->createdLabel->setText(created);
    m_ui->warningLabel->setText(advice);
    m_ui->secretLineEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->secretLineEdit->setText(secret);
    m_ui->secretLineEdit->setCursorPosition(0);
    // Wide enough to show the whole secret, so that nobody copies half of it by hand.
    const QFontMetrics metrics(m_ui->secretLineEdit->font());
    m_ui->secretLineEdit->setMinimumWidth(metrics.horizontalAdvance(secret) + 24);
    QFont warning = m_ui->warningLabel->font();
    warning.setBold(true);
    m_ui->warningLabel->setFont(warning);
    connect(m_ui->copyPushButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_ui->secretLineEdit->text());
        m_ui->copyPushButton->setText(tr("Copied"));
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ui->copyPushButton->setFocus(Qt::OtherFocusReason);
    const int fitted = heightForWidth(width());
    resize(width(), fitted > 0 ? fitted : sizeHint().height());
}

OneTimeSecretDialog::~OneTimeSecretDialog() = default;
