#pragma once

#include "apitlsconfiguration.h"
#include "clientaddressresolver.h"
#include "databaseconfig.h"

#include <QHostAddress>
#include <QStringList>

#include <optional>
#include <variant>

// What the user asked for on the command line, checked and with defaults filled in.
struct CommandLine
{
    enum class Command { Console, Headless, Import, Evaluate, Train, Users, Tokens, Models };

    static constexpr quint16 kDefaultPort = 8080;

    Command command = Command::Console;
    DatabaseConfig database;
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 port = kDefaultPort;
    // --tls-cert and --tls-key, both or neither. Only the command line's: the settings' files
    // are read where the API starts, so that a change in Settings applies while these win.
    ApiTlsConfiguration tls;
    // --insecure-http: plain HTTP even on an address other computers can reach.
    bool allowInsecureHttp = false;
    // --user: the window signs in as this user without its dialog, with the password from a
    // terminal prompt or the first line of standard input (never from the command line).
    QString signInUser;

    // import and evaluate
    QString importFile;
    QString importLanguage = QStringLiteral("en");
    // Empty: the first usable provider of the configured order.
    QString evaluateProvider;
    // evaluate --learning-curve: from the database's labelled tickets, no file.
    bool evaluateLearningCurve = false;
    // evaluate and train
    bool evaluateJson = false;
    // evaluate --provider fasttext: the model's metadata file; empty means beside the database.
    QString modelPath;
    std::optional<qint64> importLimit;
    int importSpreadDays = 30;

    // users, tokens and models: the action ("add", "list", ...) and the name (or model id) it
    // acts on.
    QString adminAction;
    QString adminName;
    // users add
    QString userRole;
    // tokens create
    QString tokenScopes;
    std::optional<int> tokenExpiresDays;

    // Host names the API answers to besides localhost and its bound address; empty: the
    // settings' list.
    QStringList allowedHosts;
    // Web origins allowed to call the API from a browser; empty: the settings' list.
    QStringList corsOrigins;
    // Reverse proxies whose X-Forwarded-For is believed; unset: the settings' list.
    std::optional<QList<ClientAddressResolver::Subnet>> trustedProxies;

    // Prints and exits for --help and --version; otherwise returns the parsed command line or
    // an error message for the user.
    static std::variant<CommandLine, QString> parse(const QStringList &arguments);
};
