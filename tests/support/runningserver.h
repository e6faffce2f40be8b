#pragma once

#include "apiservice.h"
#include "classificationservice.h"
#include "httpclient.h"
#include "temporarydatabase.h"
#include "ticketservice.h"

#include <memory>
#include <optional>

// The real API server and ticket service on an ephemeral loopback port, over a fresh temporary
// database; with classification options, also the real classification service beside it; with
// API options (limits, timeouts), the API started with those. Its client sends a token with
// every scope.
class RunningServer final
{
public:
    explicit RunningServer(std::optional<ClassificationOptions> classification = std::nullopt,
                           const ApiService::Options &api = {});
    ~RunningServer();
    Q_DISABLE_COPY_MOVE(RunningServer)

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    HttpClient &client() { return *m_client; }
    // The client's token, with every scope.
    QByteArray token() const { return m_token; }
    Database &database() { return m_database.database(); }
    ClassificationService *classification() { return m_classification.get(); }
    ApiService &service() { return *m_service; }
    TicketService &tickets() { return *m_tickets; }

private:
    TemporaryDatabase m_database;
    std::unique_ptr<ClassificationService> m_classification;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<ApiService> m_service;
    quint16 m_port = 0;
    QByteArray m_token;
    std::unique_ptr<HttpClient> m_client;
};
