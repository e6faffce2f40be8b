#include "newticketdialog.h"

#include "categorypalette.h"
#include "localclassifier.h"
#include "ticketlabels.h"
#include "ui_newticketdialog.h"

#include <QFuture>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

namespace {

// Long enough that a classifier runs once per pause in typing, short enough to feel live.
constexpr int kSuggestDelayMs = 300;

} // namespace

NewTicketDialog::NewTicketDialog(std::shared_ptr<const LocalClassifier> suggester, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::NewTicketDialog>())
    , m_suggester(std::move(suggester))
{
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Submit"));
    m_ui->categoryComboBox->addItem(tr("Let the AI decide"));
    for (const Category category : kAllCategories)
        m_ui->categoryComboBox->addItem(CategoryPalette::displayName(category), int(category));
    QPalette errorPalette = m_ui->errorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xC0, 0x39, 0x2B));
    m_ui->errorLabel->setPalette(errorPalette);
    m_ui->errorLabel->hide();

    m_suggestTimer.setSingleShot(true);
    m_suggestTimer.setInterval(kSuggestDelayMs);
    connect(&m_suggestTimer, &QTimer::timeout, this, &NewTicketDialog::suggest);
    connect(m_ui->subjectLineEdit, &QLineEdit::textChanged, this, &NewTicketDialog::textEdited);
    connect(m_ui->bodyPlainTextEdit, &QPlainTextEdit::textChanged, this,
            &NewTicketDialog::textEdited);
    connect(m_ui->freeTextRadioButton, &QRadioButton::toggled, this, &NewTicketDialog::updateForm);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &NewTicketDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &NewTicketDialog::reject);
    updateForm();
}

NewTicketDialog::~NewTicketDialog() = default;

void NewTicketDialog::updateForm()
{
    const bool freeText = m_ui->freeTextRadioButton->isChecked();
    m_ui->subjectCaptionLabel->setVisible(!freeText);
    m_ui->subjectLineEdit->setVisible(!freeText);
    m_ui->bodyCaptionLabel->setText(freeText ? tr("&Text") : tr("&Body"));
    m_ui->bodyPlainTextEdit->setAccessibleName(freeText ? tr("Text") : tr("Body"));
    textEdited();
}

TicketDraft NewTicketDialog::draft() const
{
    if (m_ui->freeTextRadioButton->isChecked())
        return TicketDraft::fromText(m_ui->bodyPlainTextEdit->toPlainText(), TicketSource::Gui);
    return TicketDraft::fromSubjectAndBody(
        m_ui->subjectLineEdit->text(), m_ui->bodyPlainTextEdit->toPlainText(), TicketSource::Gui);
}

void NewTicketDialog::restore(const TicketDraft &draft, std::optional<Category> category)
{
    const bool freeText = draft.form == TicketForm::Text;
    m_ui->freeTextRadioButton->setChecked(freeText);
    m_ui->subjectBodyRadioButton->setChecked(!freeText);
    m_ui->subjectLineEdit->setText(draft.subject);
    m_ui->bodyPlainTextEdit->setPlainText(draft.body);
    m_ui->categoryComboBox->setCurrentIndex(
        category ? m_ui->categoryComboBox->findData(int(*category)) : 0);
}

std::optional<Category> NewTicketDialog::chosenCategory() const
{
    const QVariant chosen = m_ui->categoryComboBox->currentData();
    if (!chosen.isValid())
        return std::nullopt;
    return Category(chosen.toInt());
}

void NewTicketDialog::accept()
{
    const FieldErrors errors = draft().validate();
    if (errors.isEmpty()) {
        QDialog::accept();
        return;
    }
    QStringList lines;
    for (const FieldError &error : errors)
        lines.append(tr("%1 %2").arg(error.field, error.message));
    m_ui->errorLabel->setText(lines.join(u'\n'));
    m_ui->errorLabel->show();
}

void NewTicketDialog::textEdited()
{
    ++m_textGeneration;
    m_ui->errorLabel->hide();
    m_suggestTimer.start();
}

void NewTicketDialog::suggest()
{
    const QString text = draft().text().trimmed();
    if (!m_suggester || text.isEmpty()) {
        m_suggestion.reset();
        m_ui->suggestionLabel->clear();
        Q_EMIT suggestionChanged();
        return;
    }
    const quint64 generation = m_textGeneration;
    QtConcurrent::run([suggester = m_suggester, text] {
        return suggester->predict(text);
    }).then(this, [this, generation](const Prediction &prediction) {
        // Typing on while the classifier ran makes this answer stale; a newer one follows.
        if (generation != m_textGeneration)
            return;
        m_suggestion = prediction;
        m_ui->suggestionLabel->setText(tr("AI suggests %1 (%2)")
                                           .arg(CategoryPalette::displayName(prediction.category),
                                                TicketLabels::confidence(prediction.confidence)));
        Q_EMIT suggestionChanged();
    });
}
