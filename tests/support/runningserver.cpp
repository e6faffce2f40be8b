#include "runningserver.h"

#include "testtoken.h"

RunningServer::RunningServer(std::optional<ClassificationOptions> classification,
                             const ApiService::Options &api)
{
    if (classification) {
        m_classification =
            std::make_unique<ClassificationService>(m_database.database(), *classification);
        m_classification->start();
    }
    m_tickets = std::make_unique<TicketService>(m_database.database(), m_classification.get());
    m_service = std::make_unique<ApiService>(*m_tickets);
    m_port = m_service->start(api);
    m_token = makeTestToken(m_database.database());
    m_client = std::make_unique<HttpClient>(baseUrl());
    m_client->setBearerToken(m_token);
}

RunningServer::~RunningServer()
{
    m_service->stop();
    if (m_classification)
        m_classification->stop();
}

QUrl RunningServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port));
}
