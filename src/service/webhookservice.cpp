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
    // Deleted on its own thread, which closes that thread's connection.
    QMetaObject::invokeMethod(m_dispatcher, &QObject::deleteLater);
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
    const std::optional<SecretBox> box = m_key.forSealing();
    if (!box)
        return tr("Webhooks cannot be registered on this node: %1").arg(m_key.problem());
    Created created;
    created.secret = WebhookSignature::generateSecret();
    created.webhook.url = url;
    created.webhook.eventTypes = eventTypes;
    created.webhook.createdBy = actor.displayName();
    created.webhook.createdAt = QDateTime::currentDateTimeUtc();
    WebhookRepository(m_tickets.database())
        .add(created.webhook, box->seal(created.secret.toLatin1()));
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
