#include "webhookservice.h"

#include "servicelogging.h"
#include "ticketservice.h"
#include "webhookjson.h"
#include "webhookrepository.h"
#include "webhooksignature.h"

WebhookService::WebhookService(TicketService &tickets, SecretsKey &key,
                               const WebhookDispatcher::Options &options, QObject *parent)
    : QObject(parent)
    , m_tickets(tickets)
    , m_key(key)
    , m_options(options)
{
    m_thread.setObjectName(QStringLiteral("webhooks"));
}

WebhookService::~WebhookService()
{
    stop();
}

void WebhookService::start()
{
    if (m_dispatcher)
        return;
    m_dispatcher = new WebhookDispatcher(m_tickets.database(), m_key, m_options);
    m_dispatcher->moveToThread(&m_thread);
    // Deleted on its own thread as that ends, which closes the thread's connection; a
    // deleteLater() posted just before quit() could be left undelivered.
    connect(&m_thread, &QThread::finished, m_dispatcher, &QObject::deleteLater);
    connect(&m_tickets, &TicketService::ticketsChanged, m_dispatcher, &WebhookDispatcher::wake);
    connect(m_dispatcher, &WebhookDispatcher::deliveryAttempted, this,
            &WebhookService::deliveryAttempted);
    m_thread.start();
    QMetaObject::invokeMethod(m_dispatcher, &WebhookDispatcher::start);
}

void WebhookService::stop()
{
    if (!m_dispatcher)
        return;
    m_dispatcher = nullptr;
    m_thread.quit();
    m_thread.wait();
}

std::variant<WebhookService::Created, QString>
WebhookService::add(const QUrl &url, const QStringList &eventTypes, const Actor &actor)
{
    if (const QString problem = WebhookJson::urlProblem(url); !problem.isEmpty())
        return tr("The URL %1.").arg(problem);
    if (const QString problem = WebhookJson::eventTypesProblem(eventTypes); !problem.isEmpty())
        return tr("The events %1.").arg(problem);
    WebhookRepository webhooks(m_tickets.database());
    std::optional<SecretBox> box;
    if (const std::optional<QString> sealed = webhooks.liveSealedSecret()) {
        // The team has a key already: a new one made here could open none of its webhooks.
        box = m_key.forOpening();
        if (box && !box->open(*sealed))
            return tr("This node's secrets key is not the one the other webhooks were sealed "
                      "with: give it the key of the node that registered them (%1 or its file).")
                .arg(SecretsKey::kKeyVariable);
    } else {
        box = m_key.forSealing();
    }
    if (!box)
        return tr("Webhooks cannot be registered on this node: %1").arg(m_key.problem());
    Created created;
    created.secret = WebhookSignature::generateSecret();
    created.webhook.url = url;
    created.webhook.eventTypes = eventTypes;
    created.webhook.createdBy = actor.displayName();
    created.webhook.createdAt = QDateTime::currentDateTimeUtc();
    webhooks.add(created.webhook, box->seal(created.secret.toLatin1()));
    qCInfo(lcService).noquote() << actor.displayName() << "registered webhook" << created.webhook.id
                                << "for" << url.toDisplayString() << "with"
                                << eventTypes.join(u' ');
    return created;
}

QList<Webhook> WebhookService::list()
{
    return WebhookRepository(m_tickets.database()).list();
}

std::optional<Webhook> WebhookService::find(qint64 id)
{
    return WebhookRepository(m_tickets.database()).find(id);
}

bool WebhookService::remove(qint64 id, const Actor &actor)
{
    if (!WebhookRepository(m_tickets.database()).remove(id, QDateTime::currentDateTimeUtc()))
        return false;
    qCInfo(lcService).noquote() << actor.displayName() << "removed webhook" << id;
    return true;
}

QList<WebhookDelivery> WebhookService::deliveries(qint64 webhookId,
                                                  std::optional<WebhookDelivery::State> state,
                                                  qint64 beforeId, int limit)
{
    return WebhookRepository(m_tickets.database()).deliveries(webhookId, state, beforeId, limit);
}
