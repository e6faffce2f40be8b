#include "newwebhookdialog.h"

#include "changeevent.h"
#include "ui_newwebhookdialog.h"
#include "webhookjson.h"

NewWebhookDialog::NewWebhookDialog(QWidget *parent)
    : SubmitFormDialog(parent)
    , m_ui(std::make_unique<Ui::NewWebhookDialog>())
{
    m_ui->setupUi(this);
    setUpSubmitting(m_ui->buttonBox, tr("&Add"), m_ui->errorLabel);
}

NewWebhookDialog::~NewWebhookDialog() = default;

QUrl NewWebhookDialog::url() const
{
    return QUrl(m_ui->urlLineEdit->text().trimmed(), QUrl::StrictMode);
}

QStringList NewWebhookDialog::eventTypes() const
{
    const QList<QCheckBox *> boxes{m_ui->createdCheckBox, m_ui->classifiedCheckBox,
                                   m_ui->updatedCheckBox, m_ui->repliedCheckBox,
                                   m_ui->ratedCheckBox};
    QStringList types;
    for (qsizetype i = 0; i < boxes.size(); ++i) {
        if (boxes.at(i)->isChecked())
            types.append(ChangeEvent::types().at(i));
    }
    return types;
}

bool NewWebhookDialog::checkEntries()
{
    // Said here, before anything is sent; the service checks the same again.
    if (const QString problem = WebhookJson::urlProblem(url()); !problem.isEmpty()) {
        showProblem(tr("The URL %1.").arg(problem));
        m_ui->urlLineEdit->setFocus(Qt::OtherFocusReason);
        return false;
    }
    if (eventTypes().isEmpty()) {
        showProblem(tr("Tick at least one kind of change to send."));
        return false;
    }
    return true;
}
