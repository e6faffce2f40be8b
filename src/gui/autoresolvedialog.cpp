#include "autoresolvedialog.h"

#include "categorypalette.h"
#include "storagethread.h"
#include "ui_autoresolvedialog.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

AutoResolveDialog::AutoResolveDialog(StorageThread &store, const Actor &actor, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::AutoResolveDialog>())
    , m_store(store)
    , m_actor(actor)
{
    m_ui->setupUi(this);
    for (Category category : kAllCategories) {
        const int row = int(category);
        Row &widgets = m_rows[std::size_t(row)];
        auto *name = new QLabel(CategoryPalette::displayName(category), this);
        widgets.enabled = new QCheckBox(tr("Answer automatically"), this);
        widgets.enabled->setAccessibleName(
            tr("Auto-resolve %1 tickets").arg(CategoryPalette::displayName(category)));
        widgets.enabled->setObjectName(u"%1EnabledCheckBox"_s.arg(categoryName(category)));
        widgets.threshold = new QDoubleSpinBox(this);
        widgets.threshold->setObjectName(u"%1ThresholdSpinBox"_s.arg(categoryName(category)));
        widgets.threshold->setRange(AutoResolveRule::kLowestThreshold, 1.0);
        widgets.threshold->setSingleStep(0.01);
        widgets.threshold->setDecimals(2);
        widgets.threshold->setValue(AutoResolveRule::kDefaultThreshold);
        widgets.threshold->setPrefix(tr("at least "));
        widgets.threshold->setAccessibleName(
            tr("Threshold for %1 tickets").arg(CategoryPalette::displayName(category)));
        widgets.threshold->setToolTip(
            tr("How sure the classification must be, and how alike the resolved ticket, from "
               "%1 to 1")
                .arg(QLocale().toString(AutoResolveRule::kLowestThreshold, 'f', 2)));
        widgets.threshold->setEnabled(false);
        name->setBuddy(widgets.enabled);
        connect(widgets.enabled, &QCheckBox::toggled, widgets.threshold,
                &QDoubleSpinBox::setEnabled);
        m_ui->rulesLayout->addWidget(name, row, 0);
        m_ui->rulesLayout->addWidget(widgets.enabled, row, 1);
        m_ui->rulesLayout->addWidget(widgets.threshold, row, 2);
    }
    m_ui->rulesLayout->setColumnStretch(2, 1);
    connect(m_ui->buttonBox->button(QDialogButtonBox::Save), &QPushButton::clicked, this,
            &AutoResolveDialog::save);
    load();
}

AutoResolveDialog::~AutoResolveDialog() = default;

QCheckBox *AutoResolveDialog::enabledBox(Category category) const
{
    return m_rows[std::size_t(category)].enabled;
}

QDoubleSpinBox *AutoResolveDialog::thresholdBox(Category category) const
{
    return m_rows[std::size_t(category)].threshold;
}

void AutoResolveDialog::setBusy(bool busy)
{
    m_ui->buttonBox->button(QDialogButtonBox::Save)->setEnabled(!busy);
    for (const Row &row : m_rows) {
        row.enabled->setEnabled(!busy);
        row.threshold->setEnabled(!busy && row.enabled->isChecked());
    }
}

void AutoResolveDialog::load()
{
    setBusy(true);
    m_ui->messageLabel->setText(tr("Reading the rules…"));
    m_store.run([](TicketSession &session) { return session.autoResolveRules(); })
        .then(this, [this](const std::optional<QList<AutoResolveRule>> &rules) {
            if (!rules) {
                // Nothing on screen would be true: saving it could turn rules off.
                m_ui->messageLabel->setText(tr("The rules could not be read; see the status "
                                               "bar. Close the dialog and try again."));
                return;
            }
            showRules(*rules);
            setBusy(false);
            m_ui->messageLabel->clear();
            Q_EMIT rulesShown();
        });
}

void AutoResolveDialog::showRules(const QList<AutoResolveRule> &rules)
{
    m_shown = {};
    for (const Row &row : m_rows) {
        row.enabled->setChecked(false);
        row.enabled->setToolTip(QString());
        row.threshold->setValue(AutoResolveRule::kDefaultThreshold);
    }
    for (const AutoResolveRule &rule : rules) {
        m_shown[std::size_t(rule.category)] = rule.threshold;
        const Row &row = m_rows[std::size_t(rule.category)];
        row.enabled->setChecked(true);
        row.threshold->setValue(rule.threshold);
        row.enabled->setToolTip(
            tr("Set by %1 on %2")
                .arg(rule.updatedBy,
                     QLocale().toString(rule.updatedAt.toLocalTime(), QLocale::ShortFormat)));
    }
}

void AutoResolveDialog::save()
{
    // Only what changed, so that each rule keeps who set it.
    QList<std::pair<Category, std::optional<double>>> changes;
    for (Category category : kAllCategories) {
        const Row &row = m_rows[std::size_t(category)];
        const std::optional<double> threshold =
            row.enabled->isChecked() ? std::optional(row.threshold->value()) : std::nullopt;
        if (threshold != m_shown[std::size_t(category)])
            changes.append({category, threshold});
    }
    setBusy(true);
    m_ui->messageLabel->setText(tr("Saving…"));
    m_store
        .run([changes, actor = m_actor](TicketSession &session) {
            session.setAutoResolveRules(changes, actor);
            return session.autoResolveRules();
        })
        .then(this, [this](const std::optional<QList<AutoResolveRule>> &rules) {
            setBusy(false);
            if (!rules) {
                // Nothing was saved; what the database holds is shown again.
                load();
                m_ui->messageLabel->setText(
                    tr("The rules could not be saved; see the status bar."));
                return;
            }
            showRules(*rules);
            m_ui->messageLabel->setText(rules->isEmpty()
                                            ? tr("Saved: auto-resolve is off.")
                                            : tr("Saved: applies to tickets classified from now "
                                                 "on, on every node."));
            Q_EMIT rulesSaved();
        });
}
