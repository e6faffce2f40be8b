#pragma once

#include "actor.h"
#include "secretskey.h"
#include "webhook.h"
#include "webhookdelivery.h"
#include "webhookdispatcher.h"

#include <QCoreApplication>
#include <QObject>
#include <QThread>

#include <optional>
#include <variant>

class TicketService;

// Webhooks for the window and the API: registering (the signing secret shown once, kept sealed
// with the secrets key), listing, removing and reading the delivery log, on the calling
// thread's connection; and, once started, this node's dispatcher on a thread of its own, woken
// by every change the ticket service announces. Several nodes may dispatch from one database:
// each delivery is taken by one of them at a time. Throws StorageError.
class WebhookService final : public QObject
{
    Q_OBJECT

public:
    WebhookService(TicketService &tickets, SecretsKey &key,
                   const WebhookDispatcher::Options &options = {}, QObject *parent = nullptr);
    ~WebhookService() override;
    Q_DISABLE_COPY_MOVE(WebhookService)

    void start();
    // Returns once the dispatcher's thread ended; what it had on the wire is tried again later.
    void stop();

    struct Created
    {
        Webhook webhook;
        // Shown once, for the receiver to check signatures with.
        QString secret;
    };
    // What to tell the person when it cannot be registered.
    std::variant<Created, QString> add(const QUrl &url, const QStringList &eventTypes,
                                       const Actor &actor);
    QList<Webhook> list();
    std::optional<Webhook> find(qint64 id);
    // False when no live webhook has the id.
    bool remove(qint64 id, const Actor &actor);
    QList<WebhookDelivery> deliveries(qint64 webhookId,
                                      std::optional<WebhookDelivery::State> state = {},
                                      qint64 beforeId = 0, int limit = 100);

Q_SIGNALS:
    // A delivery was attempted on this node, for the logs on screen to catch up.
    void deliveryAttempted(qint64 webhookId);

private:
    TicketService &m_tickets;
    SecretsKey &m_key;
    const WebhookDispatcher::Options m_options;
    QThread m_thread;
    WebhookDispatcher *m_dispatcher = nullptr;
};
