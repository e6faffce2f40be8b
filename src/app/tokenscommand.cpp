#include "tokenscommand.h"

#include "actor.h"
#include "database.h"
#include "integrationtokens.h"
#include "storageerror.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TokensCommand", text);
}

QString timeOrDash(const QDateTime &time)
{
    return time.isValid() ? Timestamps::toIso(time) : QStringLiteral("-");
}

void list(IntegrationTokens &tokens, QTextStream &out)
{
    const QList<IntegrationToken> all = tokens.list();
    if (all.isEmpty()) {
        out << tr("No tokens yet; make one with: support-console tokens create NAME --scopes "
                  "tickets:read")
            << Qt::endl;
        return;
    }
    const QString row = QStringLiteral("%1  %2  %3  %4  %5  %6");
    out << row.arg(tr("NAME"), -20)
               .arg(tr("SCOPES"), -79)
               .arg(tr("CREATED"), -24)
               .arg(tr("LAST USED"), -24)
               .arg(tr("EXPIRES"), -24)
               .arg(tr("STATE"))
        << Qt::endl;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const IntegrationToken &token : all) {
        const QString state = token.revokedAt.isValid() ? tr("revoked")
                              : token.isLive(now)       ? tr("live")
                                                        : tr("expired");
        out << row.arg(token.name, -20)
                   .arg(scopesText(token.scopes), -79)
                   .arg(Timestamps::toIso(token.createdAt), -24)
                   .arg(timeOrDash(token.lastUsedAt), -24)
                   .arg(timeOrDash(token.expiresAt), -24)
                   .arg(state)
            << Qt::endl;
    }
}

} // namespace

int TokensCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString &action = commandLine.adminAction;
    const QString &name = commandLine.adminName;
    Scopes scopes;
    if (action == QLatin1String("create")) {
        const Validated<Scopes> parsed = parseScopes(commandLine.tokenScopes);
        if (!parsed.isValid()) {
            err << tr("support-console: --scopes: %1").arg(parsed.errors.constFirst().message)
                << Qt::endl;
            return 2;
        }
        scopes = parsed.value;
    }

    const Database database(commandLine.database);
    int exitCode = 0;
    try {
        database.migrate();
        IntegrationTokens tokens(database);
        const Actor actor = Actor::system(QStringLiteral("cli:") + Actor::desktopUser().name);
        if (action == QLatin1String("list")) {
            list(tokens, out);
        } else if (action == QLatin1String("create")) {
            const auto created = tokens.create(name, scopes, commandLine.tokenExpiresDays, actor);
            if (const auto *problem = std::get_if<QString>(&created)) {
                err << tr("support-console: %1").arg(*problem) << Qt::endl;
                exitCode = 1;
            } else {
                const auto &token = std::get<IntegrationTokens::Created>(created);
                out << tr("Created token %1 with %2%3. Copy its secret now: it is not kept and "
                          "cannot be shown again. Send it as \"Authorization: Bearer <secret>\".")
                           .arg(name, scopesText(scopes),
                                token.token.expiresAt.isValid()
                                    ? tr(", expiring %1")
                                          .arg(Timestamps::toIso(token.token.expiresAt))
                                    : QString())
                    << Qt::endl;
                // Alone on the last line, so that a script can take it with `tail -n 1`.
                out << token.secret << Qt::endl;
            }
        } else if (action == QLatin1String("revoke")) {
            if (tokens.revoke(name, actor)) {
                out << tr("Revoked %1; every node refuses it within a second.").arg(name)
                    << Qt::endl;
            } else {
                err << tr("support-console: there is no live token named %1.").arg(name)
                    << Qt::endl;
                exitCode = 1;
            }
        }
    } catch (const StorageError &error) {
        err << tr("support-console: %1").arg(error.message()) << Qt::endl;
        exitCode = 1;
    }
    database.closeThreadConnection();
    return exitCode;
}
