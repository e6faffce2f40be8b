#pragma once

#include "apiservice.h"
#include "httpclient.h"
#include "temporarydatabase.h"

#include <memory>

// The real API server on an ephemeral loopback port, over a fresh temporary database.
class RunningServer final
{
public:
    RunningServer();
    ~RunningServer();
    Q_DISABLE_COPY_MOVE(RunningServer)

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    HttpClient &client() { return *m_client; }
    Database &database() { return m_database.database(); }

private:
    TemporaryDatabase m_database;
    ApiService m_service;
    quint16 m_port = 0;
    std::unique_ptr<HttpClient> m_client;
};
