#include "servecommand.h"

#include "apiservice.h"
#include "autoresolver.h"
#include "classificationservice.h"
#include "database.h"
#include "databaselocation.h"
#include "fasttextmodelstore.h"
#include "mainwindow.h"
#include "replydrafter.h"
#include "secretskey.h"
#include "settingskeys.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "unixsignalwatcher.h"
#include "webhookservice.h"
#include "windowsignin.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTextStream>

namespace {

QString hostForUrl(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                               : address.toString();
}

QUrl apiUrl(const ApiService::Options &options, quint16 port)
{
    return QUrl(QStringLiteral("%1://%2:%3/")
                    .arg(options.tls.isEnabled() ? QStringLiteral("https") : QStringLiteral("http"),
                         hostForUrl(options.address))
                    .arg(port));
}

// How the API serves at the start and after every change in Settings. The command line's TLS
// files win over the settings' so that a restart never drops the HTTPS it was started with.
ApiService::Options apiOptions(const CommandLine &commandLine, const QHostAddress &address,
                               quint16 port)
{
    const QSettings settings;
    ApiService::Options options;
    options.address = address;
    options.port = port;
    options.tls = commandLine.tls;
    if (!options.tls.isEnabled()) {
        options.tls.certificatePath = settings.value(SettingsKeys::apiTlsCertificate).toString();
        options.tls.keyPath = settings.value(SettingsKeys::apiTlsKey).toString();
    }
    options.allowInsecureHttp = commandLine.allowInsecureHttp ||
                                settings.value(SettingsKeys::apiAllowInsecureHttp).toBool();
    QStringList problems;
    ApiService::readLimits(settings, options, &problems);
    for (const QString &problem : std::as_const(problems))
        qWarning().noquote() << problem;
    options.allowedHosts = commandLine.allowedHosts.isEmpty()
                               ? settings.value(SettingsKeys::apiAllowedHosts).toStringList()
                               : commandLine.allowedHosts;
    options.corsOrigins = commandLine.corsOrigins.isEmpty()
                              ? settings.value(SettingsKeys::apiCorsOrigins).toStringList()
                              : commandLine.corsOrigins;
    if (commandLine.trustedProxies) {
        options.trustedProxies = *commandLine.trustedProxies;
    } else {
        const ClientAddressResolver::ParsedSubnets parsed = ClientAddressResolver::parseSubnets(
            settings.value(SettingsKeys::apiTrustedProxies).toString());
        // Trusting no proxy is the safe way to be wrong: limits then count the proxy itself.
        if (!parsed.isValid())
            qWarning().noquote() << QCoreApplication::translate(
                                        "ServeCommand",
                                        "The trusted proxies in the settings are ignored: %1")
                                        .arg(parsed.errors.join(QLatin1String("; ")));
        else
            options.trustedProxies = parsed.subnets;
    }
    return options;
}

// Moves the API to the address and port the settings now name; the window says where it went.
void restartApi(ApiService &api, MainWindow &window, const CommandLine &commandLine)
{
    const QSettings settings;
    const QString text =
        settings.value(SettingsKeys::apiBindAddress, QStringLiteral("127.0.0.1")).toString();
    const QHostAddress address = text == QLatin1String("localhost")
                                     ? QHostAddress(QHostAddress::LocalHost)
                                     : QHostAddress(text);
    const ApiService::Options options = apiOptions(
        commandLine, address,
        quint16(settings.value(SettingsKeys::apiPort, CommandLine::kDefaultPort).toUInt()));
    const quint16 port = api.start(options);
    window.setApi(port != 0 ? &api : nullptr, apiUrl(options, port),
                  port != 0 ? QString() : api.errorString());
}

} // namespace

int ServeCommand::run(const CommandLine &commandLine, Mode mode)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    DatabaseConfig config = commandLine.database;
    // An agent's desktop keeps its memory small; a headless server maps the file for speed.
    if (mode == Mode::Window)
        config.memoryMapBytes = 0;
    const Database database(config);
    try {
        database.migrate();
    } catch (const StorageError &error) {
        err << QCoreApplication::translate("ServeCommand", "support-console: %1")
                   .arg(error.message())
            << Qt::endl;
        return 1;
    }
    if (const QString imported = FastTextModelStore(database).importVersion03Files();
        !imported.isEmpty())
        err << QCoreApplication::translate("ServeCommand", "support-console: %1").arg(imported)
            << Qt::endl;

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, qApp,
                     &QCoreApplication::quit);

    QStringList settingsErrors;
    ClassificationOptions options = ClassificationOptions::fromSettings(
        QSettings(), QProcessEnvironment::systemEnvironment(), &settingsErrors);
    const WebhookDispatcher::Options webhookOptions = WebhookDispatcher::Options::fromEnvironment(
        QProcessEnvironment::systemEnvironment(), &settingsErrors);
    for (const QString &settingsError : std::as_const(settingsErrors)) {
        err << QCoreApplication::translate("ServeCommand", "support-console: setting ignored: %1")
                   .arg(settingsError)
            << Qt::endl;
    }
    ClassificationService classification(database, options);
    ReplyDrafter drafter(options);
    TicketService tickets(database, &classification);
    tickets.setDrafter(&drafter);
    SecretsKey secretsKey(QProcessEnvironment::systemEnvironment(), SecretsKey::defaultFile());
    WebhookService webhooks(tickets, secretsKey, webhookOptions);
    tickets.setWebhooks(&webhooks);
    // Someone signs in before anything starts, so that a refusal leaves nothing to stop.
    std::optional<UserAccount> user;
    if (mode == Mode::Window) {
        std::variant<UserAccount, int> signedIn = WindowSignIn::run(commandLine, tickets);
        if (const int *exitCode = std::get_if<int>(&signedIn)) {
            database.closeThreadConnection();
            return *exitCode;
        }
        user = std::get<UserAccount>(std::move(signedIn));
        out << QCoreApplication::translate("ServeCommand", "Signed in as %1 (%2).")
                   .arg(user->name, roleName(user->role))
            << Qt::endl;
    }
    AutoResolver autoResolver(tickets);
    autoResolver.start();
    classification.start();
    webhooks.start();

    ApiService api(tickets);
    const ApiService::Options served =
        apiOptions(commandLine, commandLine.bindAddress, commandLine.port);
    const quint16 port = api.start(served);
    if (port == 0) {
        err << QCoreApplication::translate("ServeCommand", "support-console: %1")
                   .arg(api.errorString())
            << Qt::endl;
        // The window is still worth having without the API; it says why the API is missing.
        if (mode == Mode::Headless)
            return 1;
    }
    const QUrl listening = apiUrl(served, port);
    if (port != 0) {
        // Scripts and tests read the port from this line when they asked for port 0.
        out << QCoreApplication::translate("ServeCommand", "Support Console API listening on %1")
                   .arg(listening.toString())
            << Qt::endl;
    }
    out << QCoreApplication::translate("ServeCommand", "Database: %1")
               .arg(DatabaseLocation::redacted(config))
        << Qt::endl;

    std::unique_ptr<MainWindow> window;
    if (mode == Mode::Window) {
        window = std::make_unique<MainWindow>(tickets, *user);
        window->setApi(port != 0 ? &api : nullptr, listening,
                       port != 0 ? QString() : api.errorString());
        window->setClassification(&classification);
        window->setDrafter(&drafter);
        window->setWebhooks(&webhooks);
        // What the settings dialog changes applies now, except the database location.
        QObject::connect(
            window.get(), &MainWindow::settingsChanged, window.get(), [&](const QStringList &keys) {
                const auto changed = [&keys](QLatin1StringView prefix) {
                    return std::any_of(keys.cbegin(), keys.cend(), [prefix](const QString &key) {
                        return key.startsWith(prefix);
                    });
                };
                if (changed(QLatin1StringView("ai/"))) {
                    QStringList ignored;
                    const ClassificationOptions changedOptions =
                        ClassificationOptions::fromSettings(
                            QSettings(), QProcessEnvironment::systemEnvironment(), &ignored);
                    classification.reconfigure(changedOptions);
                    drafter.reconfigure(changedOptions);
                }
                if (changed(QLatin1StringView("api/"))) {
                    restartApi(api, *window, commandLine);
                }
            });
        window->show();
    }
    const int exitCode = QCoreApplication::exec();
    window.reset();
    api.stop();
    webhooks.stop();
    classification.stop();
    database.closeThreadConnection();
    out << QCoreApplication::translate("ServeCommand", "Stopped.") << Qt::endl;
    return exitCode;
}
