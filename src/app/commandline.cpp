#include "commandline.h"

#include "corspolicy.h"
#include "databaselocation.h"
#include "settingskeys.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDebug>
#include <QSettings>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

} // namespace

std::variant<CommandLine, QString> CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Support Console: a desktop console and HTTP API for customer-support tickets.\n\n"
           "Commands:\n"
           "  (none)             Run the console with the HTTP API beside it; on a PostgreSQL\n"
           "                     database, sign in first.\n"
           "  import FILE.csv    Import tickets from a CSV file in the public dataset's format.\n"
           "  evaluate FILE.csv  Classify a CSV in that format and report how well it went.\n"
           "  train              Train the local model on the database's labelled tickets.\n"
           "  users add NAME --role agent|manager|admin\n"
           "                     Add a user; the password comes from a prompt or stdin.\n"
           "  users list | disable NAME | enable NAME | passwd NAME\n"
           "                     List users, disable or enable one, change a password.\n"
           "  tokens create NAME --scopes tickets:read,tickets:write,stats:read "
           "[--expires DAYS]\n"
           "                     Make an API token for an integration; prints its secret once, "
           "on the last line.\n"
           "  tokens list | revoke NAME\n"
           "                     List tokens, or revoke one on every node within a second.\n"
           "  models list | activate ID | pin | unpin\n"
           "                     List the trained models, roll back to one, or keep the active\n"
           "                     one in use whatever training finds."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();

    const QCommandLineOption headless(QStringLiteral("headless"),
                                      tr("Run only the HTTP API server, without a window."));
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        tr("SQLite database file, or a PostgreSQL connection string as libpq reads it: "
           "postgresql://user@host:port/dbname, postgresql:///dbname?host=/socket/folder or "
           "\"host=... dbname=...\"; give the password in PGPASSWORD or ~/.pgpass (default: "
           "$SUPPORT_CONSOLE_DATABASE, else a SQLite file in the user data folder)."),
        tr("path|URI"));
    const QCommandLineOption bind(QStringLiteral("bind"),
                                  tr("Address the HTTP API listens on (default: 127.0.0.1)."),
                                  tr("address"));
    const QCommandLineOption port(
        QStringLiteral("port"),
        tr("Port the HTTP API listens on; 0 picks a free one (default: 8080)."), tr("port"));
    const QCommandLineOption tlsCertificate(
        QStringLiteral("tls-cert"),
        tr("Serve the HTTP API over HTTPS with this PEM certificate (optionally followed by its "
           "intermediate certificates); needs --tls-key."),
        tr("file"));
    const QCommandLineOption tlsKey(
        QStringLiteral("tls-key"),
        tr("The PEM private key of the --tls-cert certificate, without a passphrase."), tr("file"));
    const QCommandLineOption insecureHttp(
        QStringLiteral("insecure-http"),
        tr("Allow plain HTTP on an address other computers can reach (--bind other than a "
           "loopback address), where anyone on the way can read the tickets."));
    const QCommandLineOption user(
        QStringLiteral("user"),
        tr("The window: sign in as this user without the sign-in dialog. The password comes "
           "from a prompt, or from the first line of standard input when that is not a "
           "terminal."),
        tr("name"));
    const QCommandLineOption language(
        QStringLiteral("language"),
        tr("import: keep rows in this language, or \"all\" (default: en)."), tr("code"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   tr("import: stop after importing N rows."), tr("N"));
    const QCommandLineOption spreadDays(
        QStringLiteral("spread-days"),
        tr("import: spread the tickets' received dates over the past N days (default: 30)."),
        tr("N"));
    const QCommandLineOption provider(QStringLiteral("provider"),
                                      tr("evaluate: the classifier to measure: remote, learned "
                                         "(or linear, fasttext) or rules (default: the first one "
                                         "set up in the configured order)."),
                                      tr("name"));
    const QCommandLineOption learningCurve(
        QStringLiteral("learning-curve"),
        tr("evaluate: instead of a CSV, measure how accuracy grows with the number of the "
           "database's labelled tickets."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("evaluate, train: print the report as JSON."));
    const QCommandLineOption model(
        QStringLiteral("model"),
        tr("evaluate: the fasttext model's metadata file (default: beside the database)."),
        tr("path"));
    const QCommandLineOption role(QStringLiteral("role"), tr("users add: agent, manager or admin."),
                                  tr("role"));
    const QCommandLineOption scopes(
        QStringLiteral("scopes"),
        tr("tokens create: what the token may do, comma-separated: tickets:read, "
           "tickets:write, stats:read, replies:write, feedback:write, events:read, "
           "webhooks:manage."),
        tr("list"));
    const QCommandLineOption expires(QStringLiteral("expires"),
                                     tr("tokens create: expire after DAYS days (default: never)."),
                                     tr("DAYS"));
    const QCommandLineOption allowedHost(
        QStringLiteral("allowed-host"),
        tr("A host name clients may address the API by, besides localhost and the bound "
           "address: this machine's DNS name, or the name a reverse proxy forwards. Repeatable."),
        tr("name"));
    const QCommandLineOption trustedProxies(
        QStringLiteral("trusted-proxies"),
        tr("Reverse proxies, as addresses or subnets (\"10.0.0.0/8, 192.168.1.5\"), whose "
           "X-Forwarded-For names the client for rate limits, bans and the log."),
        tr("list"));
    const QCommandLineOption corsOrigin(
        QStringLiteral("cors-origin"),
        tr("A web origin (https://crm.example.com) whose pages may call the API from a browser, "
           "with a token. Repeatable; none by default."),
        tr("origin"));
    parser.addOptions(
        {headless,    databaseOption, bind,       port, tlsCertificate, tlsKey,  insecureHttp,
         allowedHost, trustedProxies, corsOrigin, user, language,       limit,   spreadDays,
         provider,    json,           model,      role, scopes,         expires, learningCurve});
    parser.addPositionalArgument(
        QStringLiteral("command"),
        tr("Optional command: import, evaluate, train, users, tokens or models."),
        tr("[import|evaluate FILE.csv|train|users ACTION [NAME]|tokens ACTION [NAME]|models "
           "ACTION [ID]]"));
    if (!parser.parse(arguments))
        return parser.errorText();
    if (parser.isSet(version))
        parser.showVersion();
    if (parser.isSet(help))
        parser.showHelp();

    CommandLine result;
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    const bool importing = command == QLatin1String("import");
    const bool evaluating = command == QLatin1String("evaluate");
    const bool training = command == QLatin1String("train");
    if (evaluating && parser.isSet(learningCurve)) {
        if (positional.size() != 1)
            return tr("evaluate --learning-curve reads the database's labelled tickets, not a "
                      "file.");
        if (parser.isSet(provider) || parser.isSet(model))
            return tr("evaluate --learning-curve measures the linear recipe; --provider and "
                      "--model do not apply.");
        result.command = Command::Evaluate;
        result.evaluateLearningCurve = true;
    } else if (importing || evaluating) {
        if (positional.size() != 2)
            return tr("%1 needs exactly one CSV file: support-console %1 FILE.csv").arg(command);
        result.command = importing ? Command::Import : Command::Evaluate;
        result.importFile = positional.at(1);
    } else if (training) {
        if (positional.size() != 1)
            return tr("train takes no file: support-console train [--database PATH|URI]");
        result.command = Command::Train;
    } else if (command == QLatin1String("users") || command == QLatin1String("tokens")) {
        const bool users = command == QLatin1String("users");
        const QStringList namedActions =
            users ? QStringList{QStringLiteral("add"), QStringLiteral("disable"),
                                QStringLiteral("enable"), QStringLiteral("passwd")}
                  : QStringList{QStringLiteral("create"), QStringLiteral("revoke")};
        const QString action = positional.value(1);
        if (action == QLatin1String("list")) {
            if (positional.size() != 2)
                return tr("%1 list takes no name.").arg(command);
        } else if (namedActions.contains(action)) {
            if (positional.size() != 3)
                return tr("%1 %2 needs exactly one name: support-console %1 %2 NAME")
                    .arg(command, action);
        } else {
            return tr("%1 needs an action: %2 or list.")
                .arg(command, namedActions.join(QLatin1String(", ")));
        }
        result.command = users ? Command::Users : Command::Tokens;
        result.adminAction = action;
        result.adminName = positional.value(2);
        if (users && action == QLatin1String("add")) {
            if (!parser.isSet(role))
                return tr("users add needs --role agent, manager or admin.");
            result.userRole = parser.value(role);
        } else if (parser.isSet(role)) {
            return tr("--role only applies to users add.");
        }
        if (!users && action == QLatin1String("create")) {
            if (!parser.isSet(scopes))
                return tr("tokens create needs --scopes, e.g. --scopes tickets:read,tickets:write");
            result.tokenScopes = parser.value(scopes);
            if (parser.isSet(expires)) {
                bool ok = false;
                const int days = parser.value(expires).toInt(&ok);
                if (!ok || days < 1 || days > 3650)
                    return tr("--expires needs a number of days from 1 to 3650.");
                result.tokenExpiresDays = days;
            }
        } else {
            for (const QCommandLineOption *option : {&scopes, &expires}) {
                if (parser.isSet(*option))
                    return tr("--%1 only applies to tokens create.")
                        .arg(option->names().constFirst());
            }
        }
    } else if (command == QLatin1String("models")) {
        const QString action = positional.value(1);
        const QStringList bareActions{QStringLiteral("list"), QStringLiteral("pin"),
                                      QStringLiteral("unpin")};
        if (action == QLatin1String("activate")) {
            bool ok = false;
            if (positional.size() != 3 || positional.at(2).toLongLong(&ok) <= 0 || !ok)
                return tr("models activate needs a model's id from models list: support-console "
                          "models activate ID");
        } else if (bareActions.contains(action)) {
            if (positional.size() != 2)
                return tr("models %1 takes nothing more.").arg(action);
        } else {
            return tr("models needs an action: list, activate, pin or unpin.");
        }
        result.command = Command::Models;
        result.adminAction = action;
        result.adminName = positional.value(2);
    } else if (!positional.isEmpty()) {
        return tr("Unknown command \"%1\". See --help.").arg(positional.first());
    } else if (parser.isSet(headless)) {
        result.command = Command::Headless;
    }
    if (parser.isSet(user)) {
        if (result.command != Command::Console)
            return tr("--user only applies to the window; the other commands need no sign-in.");
        result.signInUser = parser.value(user).trimmed();
        if (result.signInUser.isEmpty())
            return tr("--user needs a user name.");
    }
    if (!importing) {
        for (const QCommandLineOption *option : {&limit, &spreadDays}) {
            if (parser.isSet(*option))
                return tr("--%1 only applies to import.").arg(option->names().constFirst());
        }
    }
    if (!importing && !evaluating && parser.isSet(language))
        return tr("--language only applies to import and evaluate.");
    if (!evaluating) {
        for (const QCommandLineOption *option : {&provider, &model}) {
            if (parser.isSet(*option))
                return tr("--%1 only applies to evaluate.").arg(option->names().constFirst());
        }
    }
    if (!evaluating && parser.isSet(learningCurve))
        return tr("--learning-curve only applies to evaluate.");
    if (!evaluating && !training && parser.isSet(json))
        return tr("--json only applies to evaluate and train.");
    if (parser.isSet(provider))
        result.evaluateProvider = parser.value(provider);
    result.modelPath = parser.value(model);
    result.evaluateJson = parser.isSet(json);

    // The first of the option, the environment and the settings that names a database wins; each
    // is named in an error so the user knows which one to fix.
    QString databaseLocation = parser.value(databaseOption);
    QString databaseSource = QStringLiteral("--database");
    if (databaseLocation.isEmpty()) {
        databaseLocation = qEnvironmentVariable("SUPPORT_CONSOLE_DATABASE");
        databaseSource = QStringLiteral("SUPPORT_CONSOLE_DATABASE");
    }
    if (databaseLocation.isEmpty()) {
        databaseLocation = QSettings().value(SettingsKeys::databasePath).toString();
        databaseSource = tr("The database location in the settings");
    }
    if (databaseLocation.isEmpty()) {
        result.database = DatabaseConfig::sqlite(DatabaseConfig::defaultSqlitePath());
    } else {
        auto location = DatabaseLocation::parse(databaseLocation);
        if (const QString *error = std::get_if<QString>(&location))
            return tr("%1: %2").arg(databaseSource, *error);
        result.database = std::move(std::get<DatabaseConfig>(location));
    }
    if (parser.isSet(databaseOption) && DatabaseLocation::containsPassword(databaseLocation)) {
        qWarning().noquote() << tr("The password given with --database can be read by every "
                                   "user of this computer in the process list; put it in "
                                   "PGPASSWORD or ~/.pgpass instead.");
    }

    // The command line wins over the settings dialog's choices, which win over the defaults.
    const QSettings settings;
    if (parser.isSet(bind) || settings.contains(SettingsKeys::apiBindAddress)) {
        const QString address = parser.isSet(bind)
                                    ? parser.value(bind)
                                    : settings.value(SettingsKeys::apiBindAddress).toString();
        result.bindAddress = address == QLatin1String("localhost")
                                 ? QHostAddress(QHostAddress::LocalHost)
                                 : QHostAddress(address);
        if (result.bindAddress.isNull()) {
            return parser.isSet(bind)
                       ? tr("--bind needs an IP address, not \"%1\".").arg(address)
                       : tr("The API address in the settings (%1) is not an IP address; fix it "
                            "in Settings or pass --bind.")
                             .arg(address);
        }
    }
    if (parser.isSet(port) || settings.contains(SettingsKeys::apiPort)) {
        bool ok = false;
        const uint value = parser.isSet(port) ? parser.value(port).toUInt(&ok)
                                              : settings.value(SettingsKeys::apiPort).toUInt(&ok);
        if (!ok || value > 65535) {
            return parser.isSet(port) ? tr("--port needs a number from 0 to 65535.")
                                      : tr("The API port in the settings is not a number from 0 "
                                           "to 65535; fix it in Settings or pass --port.");
        }
        result.port = quint16(value);
    }
    // Settings apply when the API (re)starts, so only the command line's names are kept here.
    result.allowedHosts = parser.values(allowedHost);
    result.corsOrigins = parser.values(corsOrigin);
    if (const QString problem = CorsPolicy::problem(result.corsOrigins); !problem.isEmpty())
        return tr("--cors-origin: %1").arg(problem);
    if (parser.isSet(trustedProxies)) {
        const ClientAddressResolver::ParsedSubnets parsed =
            ClientAddressResolver::parseSubnets(parser.value(trustedProxies));
        if (!parsed.isValid())
            return tr("--trusted-proxies: %1").arg(parsed.errors.join(QLatin1String("; ")));
        result.trustedProxies = parsed.subnets;
    }
    if (parser.isSet(tlsCertificate) != parser.isSet(tlsKey)) {
        return parser.isSet(tlsCertificate)
                   ? tr("--tls-cert needs --tls-key as well: the certificate's private key.")
                   : tr("--tls-key needs --tls-cert as well: the certificate it belongs to.");
    }
    if (parser.isSet(tlsCertificate)) {
        result.tls.certificatePath = parser.value(tlsCertificate);
        result.tls.keyPath = parser.value(tlsKey);
        if (result.tls.certificatePath.isEmpty() || result.tls.keyPath.isEmpty())
            return tr("--tls-cert and --tls-key need file names.");
        // Plain HTTP is what TLS replaces; allowing it beside TLS means a misunderstanding.
        if (parser.isSet(insecureHttp))
            return tr("--insecure-http allows plain HTTP; it does not go with --tls-cert.");
    }
    result.allowInsecureHttp = parser.isSet(insecureHttp);
    if (parser.isSet(language)) {
        const QString value = parser.value(language).trimmed().toLower();
        result.importLanguage = value == QLatin1String("all") ? QString() : value;
    }
    if (parser.isSet(limit)) {
        bool ok = false;
        const qint64 value = parser.value(limit).toLongLong(&ok);
        if (!ok || value < 1)
            return tr("--limit needs a positive number.");
        result.importLimit = value;
    }
    if (parser.isSet(spreadDays)) {
        bool ok = false;
        const int value = parser.value(spreadDays).toInt(&ok);
        if (!ok || value < 0 || value > 3650)
            return tr("--spread-days needs a number from 0 to 3650.");
        result.importSpreadDays = value;
    }
    return result;
}
