#include "webhooksdialog.h"

#include "adminlistpanel.h"
#include "newwebhookdialog.h"
#include "onetimesecretdialog.h"
#include "storagethread.h"
#include "ui_webhooksdialog.h"
#include "webhookdeliverymodel.h"
#include "webhooklistmodel.h"
#include "webhookservice.h"

#include <QHeaderView>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>

namespace {

// The newest deliveries are what an admin checks; older ones are in the API's log.
constexpr int kShownDeliveries = 200;

} // namespace

WebhooksDialog::WebhooksDialog(StorageThread &store, WebhookService &webhooks, const Actor &actor,
                               QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::WebhooksDialog>())
    , m_store(store)
    , m_webhooks(webhooks)
    , m_actor(actor)
    , m_model(new WebhookListModel(this))
    , m_deliveries(new WebhookDeliveryModel(this))
    , m_newestFirst(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    QTableView *table = m_ui->webhooksTableView;
    m_list = new AdminListPanel(table, m_model, WebhookListModel::RawValueRole,
                                WebhookListModel::UrlColumn, m_ui->messageLabel, m_store, this);
    table->sortByColumn(WebhookListModel::CreatedColumn, Qt::DescendingOrder);
    table->sortByColumn(WebhookListModel::StateColumn, Qt::AscendingOrder);

    m_newestFirst->setSourceModel(m_deliveries);
    m_newestFirst->setSortRole(WebhookDeliveryModel::RawValueRole);
    m_newestFirst->sort(WebhookDeliveryModel::EventColumn, Qt::DescendingOrder);
    QTableView *log = m_ui->deliveriesTableView;
    log->setModel(m_newestFirst);
    QHeaderView *header = log->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(WebhookDeliveryModel::ResultColumn, QHeaderView::Stretch);
    log->verticalHeader()->setDefaultSectionSize(log->fontMetrics().height() + 8);

    connect(m_ui->addPushButton, &QPushButton::clicked, this, &WebhooksDialog::addWebhook);
    connect(m_ui->removePushButton, &QPushButton::clicked, this, &WebhooksDialog::confirmRemove);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        reloadDeliveries();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &WebhooksDialog::updateButtons);
    // This node's attempts at once; other nodes' at the next refresh.
    connect(&m_webhooks, &WebhookService::deliveryAttempted, this, [this](qint64 webhookId) {
        if (webhookId == m_shownWebhook &&
            (!m_logRefresh.isActive() || m_logRefresh.remainingTime() > 100))
            m_logRefresh.start(100);
    });
    m_logRefresh.setSingleShot(true);
    connect(&m_logRefresh, &QTimer::timeout, this, &WebhooksDialog::reloadDeliveries);
    updateButtons();
    reload();
}

WebhooksDialog::~WebhooksDialog() = default;

void WebhooksDialog::reload()
{
    const int read = m_list->readStarted();
    m_store.run([webhooks = &m_webhooks](TicketSession &) { return webhooks->list(); })
        .then(this, [this, read](const std::optional<QList<Webhook>> &webhooks) {
            m_list->callFinished();
            // A later read's list is the one to show; only the buttons learn the call ended.
            if (!m_list->isLatestRead(read)) {
                updateButtons();
                return;
            }
            if (!webhooks) {
                m_list->showMessage(
                    tr("The webhooks could not be read: %1").arg(m_list->storageProblem()), true);
                return;
            }
            m_model->replaceRows(*webhooks);
            // The newest live one is what an admin has just made or comes to check.
            if (m_list->selectedRow() < 0 && m_model->rowCount() > 0)
                m_ui->webhooksTableView->selectRow(0);
            updateButtons();
        });
}

void WebhooksDialog::reloadDeliveries()
{
    const Webhook *webhook = selectedWebhook();
    const qint64 id = webhook ? webhook->id : 0;
    if (id != m_shownWebhook) {
        m_deliveries->replaceRows({});
        m_shownWebhook = id;
    }
    m_logRefresh.stop();
    if (id == 0 || m_deliveriesLoading)
        return;
    m_deliveriesLoading = true;
    m_store
        .run([webhooks = &m_webhooks, id](TicketSession &) {
            return webhooks->deliveries(id, std::nullopt, 0, kShownDeliveries);
        })
        .then(this, [this, id](const std::optional<QList<WebhookDelivery>> &deliveries) {
            m_deliveriesLoading = false;
            if (deliveries && id == m_shownWebhook) {
                m_deliveries->replaceRows(*deliveries);
                Q_EMIT deliveriesShown();
            }
            m_logRefresh.start(id == m_shownWebhook ? kLogRefreshMs : 0);
        });
}

void WebhooksDialog::addWebhook()
{
    auto *form = new NewWebhookDialog(this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &NewWebhookDialog::submitted, this, [this, form] { submitWebhook(form); });
    form->open();
}

void WebhooksDialog::submitWebhook(NewWebhookDialog *form)
{
    using Created = WebhookService::Created;
    m_list->changeStarted();
    updateButtons();
    const QUrl url = form->url();
    m_store
        .run([webhooks = &m_webhooks, url, types = form->eventTypes(),
              actor = m_actor](TicketSession &) { return webhooks->add(url, types, actor); })
        .then(this, [this, url, form = QPointer<NewWebhookDialog>(form)](
                        const std::optional<std::variant<Created, QString>> &created) {
            m_list->callFinished();
            updateButtons();
            if (!m_list->settleForm(created, form.data()))
                return;
            const Created &made = std::get<Created>(*created);
            // Shown even if the form was closed meanwhile: this is the secret's only showing.
            auto *secret = new OneTimeSecretDialog(
                tr("Webhook Added"),
                tr("Added the webhook for %1. Its signing secret:").arg(url.toDisplayString()),
                made.secret,
                tr("Copy the secret into the receiver now: it will not be shown again. The "
                   "receiver checks each delivery's \"webhook-signature\" with it, as the "
                   "Standard Webhooks libraries do. If it is lost, remove the webhook and add "
                   "it again."),
                this);
            secret->setAttribute(Qt::WA_DeleteOnClose);
            secret->open();
            m_list->showMessage(tr("Added the webhook for %1.").arg(url.toDisplayString()), false);
            m_ui->webhooksTableView->clearSelection();
            reload();
            Q_EMIT webhookAdded(made.webhook.id);
        });
}

void WebhooksDialog::confirmRemove()
{
    const Webhook *webhook = selectedWebhook();
    if (!webhook)
        return;
    const qint64 id = webhook->id;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Remove Webhook"),
                                tr("Remove the webhook for %1? Nothing more is sent to it, and "
                                   "what still waits to be sent is cancelled. Its log stays.")
                                    .arg(webhook->url.toDisplayString()),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("removeMessageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *removeButton = box->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    removeButton->setObjectName(QStringLiteral("confirmRemovePushButton"));
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    connect(box, &QMessageBox::finished, this, [this, box, removeButton, id] {
        if (box->clickedButton() == removeButton)
            remove(id);
    });
    box->open();
}

void WebhooksDialog::remove(qint64 id)
{
    m_list->changeStarted();
    updateButtons();
    m_store
        .run([webhooks = &m_webhooks, id, actor = m_actor](TicketSession &) {
            return webhooks->remove(id, actor);
        })
        .then(this, [this, id](std::optional<bool> removed) {
            m_list->callFinished();
            updateButtons();
            if (!removed)
                m_list->showMessage(
                    tr("The database did not answer: %1").arg(m_list->storageProblem()), true);
            else if (!*removed)
                m_list->showMessage(tr("The webhook was already removed."), true);
            else
                m_list->showMessage(tr("Removed the webhook."), false);
            reload();
            reloadDeliveries();
            if (removed && *removed)
                Q_EMIT webhookRemoved(id);
        });
}

const Webhook *WebhooksDialog::selectedWebhook() const
{
    return m_model->rowAt(m_list->selectedRow());
}

void WebhooksDialog::updateButtons()
{
    const Webhook *webhook = selectedWebhook();
    const bool idle = m_list->idle();
    m_ui->addPushButton->setEnabled(idle);
    m_ui->removePushButton->setEnabled(idle && webhook && webhook->isLive());
}
