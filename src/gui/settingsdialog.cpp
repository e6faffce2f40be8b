#include "settingsdialog.h"

#include "apitlsconfiguration.h"
#include "classificationoptions.h"
#include "databaselocation.h"
#include "settingskeys.h"
#include "ui_settingsdialog.h"

#include <QHostAddress>
#include <QPushButton>
#include <QUrl>

SettingsDialog::SettingsDialog(QSettings *settings, const Current &current, bool administers,
                               QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_settings(settings)
    , m_administers(administers)
{
    m_ui->setupUi(this);
    // Hidden rather than greyed out: an agent has nothing to do with them. Their values stay as
    // shown, so accept() neither checks nor stores them.
    m_ui->apiGroupBox->setVisible(m_administers);
    m_ui->aiGroupBox->setVisible(m_administers);
    for (QLabel *note : {m_ui->apiNoteLabel, m_ui->aiNoteLabel, m_ui->databaseNoteLabel})
        note->setForegroundRole(QPalette::PlaceholderText);
    QPalette errorPalette = m_ui->errorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_ui->errorLabel->setPalette(errorPalette);
    m_ui->errorLabel->hide();

    m_ui->bindAddressLineEdit->setText(
        m_settings->value(SettingsKeys::apiBindAddress, current.bindAddress).toString());
    m_ui->portSpinBox->setValue(m_settings->value(SettingsKeys::apiPort, current.port).toInt());
    m_ui->tlsCertificateLineEdit->setText(
        m_settings->value(SettingsKeys::apiTlsCertificate).toString());
    m_ui->tlsKeyLineEdit->setText(m_settings->value(SettingsKeys::apiTlsKey).toString());
    m_ui->insecureHttpCheckBox->setChecked(
        m_settings->value(SettingsKeys::apiAllowInsecureHttp, false).toBool());
    m_ui->llmUrlLineEdit->setText(m_settings->value(SettingsKeys::aiUrl).toString());
    m_ui->llmModelLineEdit->setText(m_settings->value(SettingsKeys::aiModel).toString());
    m_ui->reviewThresholdSpinBox->setValue(
        m_settings
            ->value(SettingsKeys::aiReviewThreshold, ClassificationOptions::kDefaultReviewThreshold)
            .toDouble());
    m_ui->databasePathLineEdit->setText(
        m_settings->value(SettingsKeys::databasePath, current.databasePath).toString());

    m_shown = {
        {SettingsKeys::apiBindAddress, m_ui->bindAddressLineEdit->text()},
        {SettingsKeys::apiPort, QString::number(m_ui->portSpinBox->value())},
        {SettingsKeys::apiTlsCertificate, m_ui->tlsCertificateLineEdit->text()},
        {SettingsKeys::apiTlsKey, m_ui->tlsKeyLineEdit->text()},
        {SettingsKeys::apiAllowInsecureHttp,
         QVariant(m_ui->insecureHttpCheckBox->isChecked()).toString()},
        {SettingsKeys::aiUrl, m_ui->llmUrlLineEdit->text()},
        {SettingsKeys::aiModel, m_ui->llmModelLineEdit->text()},
        {SettingsKeys::aiReviewThreshold, QString::number(m_ui->reviewThresholdSpinBox->value())},
        {SettingsKeys::databasePath, m_ui->databasePathLineEdit->text()}};

    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    // As tall as the groups shown need, which differs by role.
    const int fitted = heightForWidth(width());
    resize(width(), fitted > 0 ? fitted : sizeHint().height());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    const QString address = m_ui->bindAddressLineEdit->text().trimmed();
    const QString url = m_ui->llmUrlLineEdit->text().trimmed();
    const QString databasePath = m_ui->databasePathLineEdit->text().trimmed();
    const ApiTlsConfiguration tls{m_ui->tlsCertificateLineEdit->text().trimmed(),
                                  m_ui->tlsKeyLineEdit->text().trimmed()};
    QStringList problems;
    if (m_administers && address != QLatin1String("localhost") && QHostAddress(address).isNull())
        problems.append(tr("The API address must be an IP address such as 127.0.0.1."));
    // Read now, so that a wrong file is fixed here rather than found when the API restarts.
    if (m_administers && tls.isEnabled() &&
        (tls.certificatePath != m_shown.value(SettingsKeys::apiTlsCertificate) ||
         tls.keyPath != m_shown.value(SettingsKeys::apiTlsKey))) {
        const auto loaded = tls.load();
        if (const QString *error = std::get_if<QString>(&loaded))
            problems.append(*error);
    }
    if (m_administers && !url.isEmpty()) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid() || (parsed.scheme() != QLatin1String("http") &&
                                  parsed.scheme() != QLatin1String("https"))) {
            problems.append(tr("The AI URL must start with http:// or https://."));
        }
    }
    if (databasePath.isEmpty()) {
        problems.append(tr("The database needs a file name or a PostgreSQL connection URI."));
    } else if (databasePath != m_shown.value(SettingsKeys::databasePath)) {
        // Settings are a plain file: a password never goes there.
        if (DatabaseLocation::containsPassword(databasePath)) {
            problems.append(tr("Leave the password out of the database URI: Support Console never "
                               "stores it. Put it in ~/.pgpass or PGPASSWORD."));
        } else if (const auto parsed = DatabaseLocation::parse(databasePath);
                   const auto *error = std::get_if<QString>(&parsed)) {
            problems.append(*error);
        }
    }
    if (!problems.isEmpty()) {
        m_ui->errorLabel->setText(problems.join(u'\n'));
        m_ui->errorLabel->show();
        return;
    }

    m_changedKeys.clear();
    // Only what the agent changed is saved and announced: pressing OK on untouched values
    // (which may be defaults, not stored keys) must not restart the API.
    const auto store = [this](QLatin1StringView key, const QVariant &value) {
        if (m_shown.value(key) == value.toString())
            return;
        // An empty text removes the key, so the environment or the default applies again.
        if (value.typeId() == QMetaType::QString && value.toString().isEmpty())
            m_settings->remove(key);
        else
            m_settings->setValue(key, value);
        m_changedKeys.append(key);
    };
    store(SettingsKeys::apiBindAddress, address);
    store(SettingsKeys::apiPort, m_ui->portSpinBox->value());
    store(SettingsKeys::apiTlsCertificate, tls.certificatePath);
    store(SettingsKeys::apiTlsKey, tls.keyPath);
    store(SettingsKeys::apiAllowInsecureHttp, m_ui->insecureHttpCheckBox->isChecked());
    store(SettingsKeys::aiUrl, url);
    store(SettingsKeys::aiModel, m_ui->llmModelLineEdit->text().trimmed());
    store(SettingsKeys::aiReviewThreshold, m_ui->reviewThresholdSpinBox->value());
    store(SettingsKeys::databasePath, databasePath);
    m_settings->sync();
    QDialog::accept();
}
