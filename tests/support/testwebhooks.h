#pragma once

#include "secretskey.h"
#include "webhookservice.h"

#include <QTemporaryDir>

#include <memory>

class TicketService;

// A node's webhook service as the API and window tests use it: started, its secrets key in a
// temporary folder, polling and retrying within tens of milliseconds, and giving a delivery up
// after maxAttempts.
class TestWebhooks final
{
public:
    TestWebhooks(TicketService &tickets, int maxAttempts);
    ~TestWebhooks();
    Q_DISABLE_COPY_MOVE(TestWebhooks)

    WebhookService &service() { return *m_service; }

private:
    QTemporaryDir m_folder;
    std::unique_ptr<SecretsKey> m_key;
    std::unique_ptr<WebhookService> m_service;
};
