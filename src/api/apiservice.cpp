#include "apiservice.h"

#include "apiguard.h"
#include "apilogging.h"
#include "apiserver.h"
#include "settingskeys.h"
#include "ticketservice.h"

#include <QTcpServer>
#include <QThread>

#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

ApiService::ApiService(TicketService &tickets, QObject *parent)
    : QObject(parent)
    , m_tickets(tickets)
    , m_tokenVerifier(tickets.database())
    , m_credentialFailures(std::make_unique<CredentialFailureTracker>())
{}

void ApiService::setCredentialFailurePolicy(const CredentialFailureTracker::Policy &policy)
{
    // The running guards hold the old tracker until stop() ends them.
    stop();
    m_credentialFailures = std::make_unique<CredentialFailureTracker>(policy);
}

ApiService::~ApiService()
{
    stop();
}

int ApiService::defaultWorkerCount()
{
    return qBound(1, QThread::idealThreadCount(), 8);
}

quint16 ApiService::start(const QHostAddress &address, quint16 port, int workers)
{
    Options options;
    options.address = address;
    options.port = port;
    options.workers = workers;
    return start(options);
}

quint16 ApiService::start(const Options &options)
{
    m_errorString.clear();
    // Checked before anything binds, and a refusal stops the API already running: the user
    // may just have withdrawn the permission it was started with.
    std::optional<QSslConfiguration> tls;
    if (options.tls.isEnabled()) {
        auto loaded = options.tls.load();
        if (QString *error = std::get_if<QString>(&loaded)) {
            stop();
            m_errorString = std::move(*error);
            return 0;
        }
        tls = std::get<QSslConfiguration>(std::move(loaded));
    } else if (!options.address.isLoopback() && !options.allowInsecureHttp) {
        stop();
        m_errorString =
            tr("Refusing plain HTTP on %1, which other computers can reach: set a TLS "
               "certificate and key (--tls-cert and --tls-key, or in Settings), or allow plain "
               "HTTP there explicitly (--insecure-http, or in Settings).")
                .arg(options.address.toString());
        return 0;
    }
    const QHostAddress &address = options.address;
    const quint16 port = options.port;
    // Bind once, here, so that a port in use is an error rather than silently shared (as
    // SO_REUSEPORT would allow); the workers accept from duplicates of this one socket.
    // Bound before the running workers stop, so a move to a busy port leaves the API where it
    // was; only when the new address overlaps the old one must the old one go first.
    QTcpServer listener;
    if (!listener.listen(address, port) && !m_threads.isEmpty()) {
        stop();
        listener.listen(address, port);
    }
    stop();
    if (!listener.isListening()) {
        m_errorString = tr("Could not listen on %1 port %2: %3")
                            .arg(address.toString())
                            .arg(port)
                            .arg(listener.errorString());
        return 0;
    }
    const quint16 bound = listener.serverPort();
    m_tickets.openIntake();
    const auto ring =
        tls ? std::make_shared<BalancedTcpServer::Ring>(*tls, options.tls.handshakeTimeout)
            : std::make_shared<BalancedTcpServer::Ring>();
    const auto guard = std::make_shared<ApiGuard>(
        m_tokenVerifier, *m_credentialFailures, HostAllowList(address, bound, options.allowedHosts),
        ClientAddressResolver(options.trustedProxies), options.limits,
        CorsPolicy(options.corsOrigins));
    ConnectionLimiter::Policy connectionPolicy = options.connections;
    if (rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
        // Past the descriptors there is nothing to accept with; a cap below them answers the
        // client that is one too many, instead of leaving it waiting.
        connectionPolicy.total = int(std::clamp<rlim_t>(files.rlim_cur - kReservedDescriptors, 1,
                                                        rlim_t(connectionPolicy.total)));
    }
    const auto connections = std::make_shared<ConnectionLimiter>(connectionPolicy);
    m_accessLog = AccessLog::isEnabled() ? std::make_shared<AccessLog>() : nullptr;
    for (int i = 0; i < options.workers; ++i) {
        // Close-on-exec, so a program this one starts never holds the API's port.
        const int descriptor = ::fcntl(int(listener.socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        if (descriptor < 0 || !startWorker(descriptor, ring, guard, connections, options)) {
            // A worker that failed did not adopt its descriptor.
            if (descriptor >= 0)
                ::close(descriptor);
            if (m_errorString.isEmpty())
                m_errorString = tr("Could not start the API threads.");
            stop();
            return 0;
        }
    }
    qCInfo(lcApi).noquote() << "Listening on" << address.toString() << "port" << bound << "with"
                            << options.workers << "threads" << (tls ? "(HTTPS)" : "(HTTP)")
                            << "for at most" << connectionPolicy.total << "connections,"
                            << connectionPolicy.perAddress << "per address";
    return bound;
}

void ApiService::readLimits(const QSettings &settings, Options &options, QStringList *problems)
{
    // Each key with its range, and where its value goes.
    struct Limit
    {
        QLatin1StringView key;
        qint64 minimum;
        qint64 maximum;
        std::function<void(qint64)> apply;
    };
    const auto seconds = [](std::chrono::milliseconds &target) {
        return [&target](qint64 value) {
            target = std::chrono::seconds(value);
        };
    };
    const QList<Limit> limits{
        {SettingsKeys::apiMaxConnections, 1, 1'000'000,
         [&](qint64 v) {
             options.connections.total = int(v);
         }},
        {SettingsKeys::apiMaxConnectionsPerAddress, 1, 1'000'000,
         [&](qint64 v) {
             options.connections.perAddress = int(v);
         }},
        {SettingsKeys::apiHeaderTimeoutSeconds, 1, 3600, seconds(options.timeouts.head)},
        {SettingsKeys::apiBodyTimeoutSeconds, 1, 3600, seconds(options.timeouts.body)},
        {SettingsKeys::apiIdleTimeoutSeconds, 1, 86400, seconds(options.timeouts.idle)},
        {SettingsKeys::apiMaxUrlBytes, 256, HttpRequestParser::kLargestHeadBytes,
         [&](qint64 v) {
             options.framing.maxTargetBytes = v;
         }},
        {SettingsKeys::apiMaxHeaderBytes, 1024, HttpRequestParser::kLargestHeadBytes,
         [&](qint64 v) {
             options.framing.maxHeadBytes = v;
         }},
        {SettingsKeys::apiMaxHeaders, 8, 10'000,
         [&](qint64 v) {
             options.framing.maxHeaderCount = int(v);
         }},
        {SettingsKeys::apiMaxBodyBytes, 1024, 64 * 1024 * 1024,
         [&](qint64 v) {
             options.framing.maxBodyBytes = v;
         }},
    };
    for (const Limit &limit : limits) {
        if (!settings.contains(limit.key))
            continue;
        bool ok = false;
        const qint64 value = settings.value(limit.key).toLongLong(&ok);
        if (ok && value >= limit.minimum && value <= limit.maximum) {
            limit.apply(value);
        } else if (problems) {
            problems->append(tr("%1 must be a whole number from %2 to %3; the default applies.")
                                 .arg(limit.key)
                                 .arg(limit.minimum)
                                 .arg(limit.maximum));
        }
    }
}

bool ApiService::startWorker(qintptr listeningSocket,
                             const std::shared_ptr<BalancedTcpServer::Ring> &ring,
                             const std::shared_ptr<ApiGuard> &guard,
                             const std::shared_ptr<ConnectionLimiter> &connections,
                             const Options &options)
{
    auto *thread = new QThread(this);
    thread->setObjectName(QStringLiteral("api-%1").arg(m_threads.size() + 1));
    auto *server = new ApiServer(m_tickets, guard);
    server->setRequestCounter(&m_requestsServed);
    server->setAccessLog(m_accessLog);
    server->setConnectionLimits(connections, options.framing, options.timeouts);
    server->moveToThread(thread);
    // Deleted on its own thread once the loop ends, which also closes that thread's connection.
    connect(thread, &QThread::finished, server, &QObject::deleteLater);
    m_threads.append(thread);
    m_servers.append(server);
    thread->start();

    bool serving = false;
    QMetaObject::invokeMethod(
        server,
        [this, server, listeningSocket, &ring, &serving] {
            serving = server->serve(listeningSocket, ring);
            if (!serving)
                m_errorString = server->errorString();
        },
        Qt::BlockingQueuedConnection);
    return serving;
}

void ApiService::stop()
{
    // Tickets already taken are committed and their answers queued to the workers, which send
    // them before they answer their waiting clients and stop.
    m_tickets.closeIntake();
    for (ApiServer *server : std::as_const(m_servers))
        QMetaObject::invokeMethod(server, &ApiServer::answerAllWaiters,
                                  Qt::BlockingQueuedConnection);
    m_servers.clear();
    for (QThread *thread : std::as_const(m_threads))
        thread->quit();
    for (QThread *thread : std::as_const(m_threads)) {
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    // The last answers' lines are out before stop() returns, as a stopping program expects.
    if (m_accessLog)
        m_accessLog->flush();
}
