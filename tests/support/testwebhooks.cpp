#include "testwebhooks.h"

#include <QProcessEnvironment>

using namespace std::chrono_literals;

TestWebhooks::TestWebhooks(TicketService &tickets, int maxAttempts)
{
    QProcessEnvironment environment;
    environment.insert(QString(SecretsKey::kFileVariable),
                       m_folder.filePath(QStringLiteral("secrets.key")));
    m_key = std::make_unique<SecretsKey>(environment, QString());
    WebhookDispatcher::Options options;
    options.pollInterval = 50ms;
    options.firstRetryDelay = 50ms;
    options.maxRetryDelay = 100ms;
    options.maxAttempts = maxAttempts;
    m_service = std::make_unique<WebhookService>(tickets, *m_key, options);
    m_service->start();
}

TestWebhooks::~TestWebhooks()
{
    m_service.reset();
}
