#pragma once

#include "apiguard.h"
#include "apitlsconfiguration.h"
#include "balancedtcpserver.h"
#include "clientaddressresolver.h"
#include "connectionlimiter.h"
#include "credentialfailuretracker.h"
#include "httpconnection.h"
#include "tokenverifier.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSettings>

#include <atomic>
#include <memory>

class AccessLog;
class ApiServer;
class QThread;
class TicketService;

// Runs the HTTP API on threads of its own, so that API load never stalls the window. Several
// worker threads accept from one listening socket, each with its own database connection.
class ApiService final : public QObject
{
    Q_OBJECT

public:
    // When the ticket service has a classification service, clients may wait for results.
    explicit ApiService(TicketService &tickets, QObject *parent = nullptr);
    ~ApiService() override;
    Q_DISABLE_COPY_MOVE(ApiService)

    // One per core: a request is mostly CPU work (HTTP parsing, SQLite, JSON).
    static int defaultWorkerCount();

    // How bad credentials are slowed and banned; takes effect at the next start(), and forgets
    // the failures counted so far.
    void setCredentialFailurePolicy(const CredentialFailureTracker::Policy &policy);
    // This node's token checks; an admin revoking a token here clears it at once.
    TokenVerifier &tokenVerifier() { return m_tokenVerifier; }

    struct Options
    {
        QHostAddress address = QHostAddress(QHostAddress::LocalHost);
        // 0 picks a free port.
        quint16 port = 0;
        int workers = defaultWorkerCount();
        // HTTPS when it names a certificate or a key. Files that cannot be used are an error,
        // never a reason to serve plain HTTP instead.
        ApiTlsConfiguration tls;
        // Plain HTTP on an address other computers can reach, which start() otherwise refuses:
        // anyone on the way could read the tickets.
        bool allowInsecureHttp = false;
        // Names besides localhost and the bound address that clients may send as the Host: a
        // DNS name of this machine, or the name a reverse proxy forwards.
        QStringList allowedHosts;
        // Reverse proxies whose X-Forwarded-For names the client; nobody else's is believed.
        QList<ClientAddressResolver::Subnet> trustedProxies;
        // Web origins whose pages may call the API from a browser; none by default.
        QStringList corsOrigins;
        ApiGuard::Limits limits;
        // Open connections per client address and in all. The total is lowered, at start, to
        // what the process's open-file limit leaves after the database and files.
        ConnectionLimiter::Policy connections;
        // The request line, headers and body a client may send.
        HttpRequestParser::Limits framing;
        HttpConnection::Timeouts timeouts;
    };
    // Descriptors kept for the database, the model files and the log, not for clients.
    static constexpr int kReservedDescriptors = 128;
    // The limits on clients that the settings name (SettingsKeys::apiMax...), over the
    // defaults; a value out of its range is left at the default and described in *problems.
    static void readLimits(const QSettings &settings, Options &options, QStringList *problems);

    // Blocks until every worker accepts. Returns the bound port, or 0 with errorString() set.
    // A busy port leaves a running API where it was; unusable TLS files or plain HTTP where it
    // is not allowed stop it.
    quint16 start(const Options &options);
    // Plain HTTP, which only a loopback address may serve without allowInsecureHttp.
    quint16 start(const QHostAddress &address, quint16 port, int workers = defaultWorkerCount());
    void stop();

    QString errorString() const { return m_errorString; }
    // Requests answered since start, by every worker. Any thread.
    qint64 requestsServed() const { return m_requestsServed.load(std::memory_order_relaxed); }

private:
    bool startWorker(qintptr listeningSocket, const std::shared_ptr<BalancedTcpServer::Ring> &ring,
                     const std::shared_ptr<ApiGuard> &guard,
                     const std::shared_ptr<ConnectionLimiter> &connections, const Options &options);

    TicketService &m_tickets;
    TokenVerifier m_tokenVerifier;
    // Kept across restarts of the API, so that moving it to another port lifts no ban.
    std::unique_ptr<CredentialFailureTracker> m_credentialFailures;
    QList<QThread *> m_threads;
    QList<ApiServer *> m_servers;
    QString m_errorString;
    std::atomic<qint64> m_requestsServed = 0;
    std::shared_ptr<AccessLog> m_accessLog;
};
