#include "runningserver.h"

RunningServer::RunningServer()
    : m_service(m_database.database())
{
    m_port = m_service.start(QHostAddress(QHostAddress::LocalHost), 0);
    m_client = std::make_unique<HttpClient>(baseUrl());
}

RunningServer::~RunningServer()
{
    m_service.stop();
}

QUrl RunningServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port));
}
