#pragma once

#include "actor.h"

#include <QDialog>
#include <QTimer>

#include <memory>

class AdminListPanel;
class NewWebhookDialog;
class QSortFilterProxyModel;
class StorageThread;
class WebhookDeliveryModel;
class WebhookListModel;
class WebhookService;
struct Webhook;

namespace Ui {
class WebhooksDialog;
}

// The admins' webhooks: the receivers with the changes each is sent, adding one (its signing
// secret shown once) and removing one, and the selected one's delivery log, which follows the
// attempts of every node while the dialog is open. Works through WebhookService on a storage
// thread.
class WebhooksDialog final : public QDialog
{
    Q_OBJECT

public:
    WebhooksDialog(StorageThread &store, WebhookService &webhooks, const Actor &actor,
                   QWidget *parent = nullptr);
    ~WebhooksDialog() override;
    Q_DISABLE_COPY_MOVE(WebhooksDialog)

    WebhookListModel *model() const { return m_model; }
    WebhookDeliveryModel *deliveries() const { return m_deliveries; }
    // How often the log is read while open, for what other nodes attempt.
    static constexpr int kLogRefreshMs = 2'000;

Q_SIGNALS:
    void webhookAdded(qint64 id);
    void webhookRemoved(qint64 id);
    // The delivery log on screen was read afresh.
    void deliveriesShown();

private:
    void reload();
    void reloadDeliveries();
    void addWebhook();
    void submitWebhook(NewWebhookDialog *form);
    void confirmRemove();
    void remove(qint64 id);
    const Webhook *selectedWebhook() const;
    void updateButtons();

    std::unique_ptr<Ui::WebhooksDialog> m_ui;
    StorageThread &m_store;
    WebhookService &m_webhooks;
    const Actor m_actor;
    WebhookListModel *m_model;
    WebhookDeliveryModel *m_deliveries;
    QSortFilterProxyModel *m_newestFirst;
    AdminListPanel *m_list;
    QTimer m_logRefresh;
    bool m_deliveriesLoading = false;
    qint64 m_shownWebhook = 0;
};
