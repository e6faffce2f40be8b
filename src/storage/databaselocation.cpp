#include "databaselocation.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <libpq-fe.h>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DatabaseLocation", text);
}

struct ConninfoFree
{
    void operator()(PQconninfoOption *options) const { PQconninfoFree(options); }
};
using Conninfo = std::unique_ptr<PQconninfoOption, ConninfoFree>;

// libpq's own parser, so that every form libpq accepts (URIs with socket folders in ?host=,
// percent-encoding, quoted keyword values) means here what it means to psql.
Conninfo parseConninfo(const QString &text, QString *error)
{
    char *message = nullptr;
    Conninfo options(PQconninfoParse(text.toUtf8().constData(), &message));
    if (!options && error) {
        *error =
            message ? QString::fromUtf8(message).trimmed() : tr("not enough memory to read it");
    }
    PQfreemem(message);
    return options;
}

bool isSecret(const QString &keyword)
{
    return keyword == u"password"_s || keyword == u"sslpassword"_s;
}

// libpq's quoting for keyword=value strings.
QString quoted(QString value)
{
    value.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
    return u'\'' + value + u'\'';
}

QString percentEncoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

bool DatabaseLocation::isConnectionString(const QString &text)
{
    static const QRegularExpression keywordValue(u"^\\s*[A-Za-z_]+\\s*="_s);
    const QString trimmed = text.trimmed();
    return trimmed.startsWith(u"postgresql://"_s, Qt::CaseInsensitive) ||
           trimmed.startsWith(u"postgres://"_s, Qt::CaseInsensitive) ||
           keywordValue.match(trimmed).hasMatch();
}

std::variant<DatabaseConfig, QString> DatabaseLocation::parse(const QString &text)
{
    if (text.trimmed().isEmpty())
        return tr("The database location is empty.");
    if (!isConnectionString(text))
        return DatabaseConfig::sqlite(text);

    QString error;
    const Conninfo options = parseConninfo(text.trimmed(), &error);
    if (!options) {
        // Not the text itself: it may hold a password.
        return tr("The database location is not a PostgreSQL connection string libpq accepts: "
                  "%1. (For a SQLite file whose name looks like one, start the path with ./)")
            .arg(error);
    }
    DatabaseConfig config;
    config.driver = u"QPSQL"_s;
    QStringList connectOptions;
    for (const PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (!option->val || !*option->val)
            continue;
        const QString keyword = QString::fromUtf8(option->keyword);
        const QString value = QString::fromUtf8(option->val);
        if (keyword == u"host"_s) {
            config.host = value;
        } else if (keyword == u"port"_s) {
            // libpq checks the port only when it connects; a typo should stop the program now.
            bool ok = false;
            const int port = value.toInt(&ok);
            if (!ok || port < 1 || port > 65535) {
                return tr("The PostgreSQL port must be one number from 1 to 65535, not \"%1\".")
                    .arg(value);
            }
            config.port = port;
        } else if (keyword == u"user"_s) {
            config.userName = value;
        } else if (keyword == u"password"_s) {
            config.password = value;
        } else if (keyword == u"dbname"_s) {
            config.databaseName = value;
        } else if (value.contains(u';')) {
            // QPSQL turns every ';' of its connect options into a space, quoted or not.
            return tr("The PostgreSQL option %1 cannot contain \";\" here.").arg(keyword);
        } else {
            connectOptions.append(keyword + u'=' + quoted(value));
        }
    }
    config.connectOptions = connectOptions.join(u';');
    return config;
}

bool DatabaseLocation::containsPassword(const QString &text)
{
    if (!isConnectionString(text))
        return false;
    const Conninfo options = parseConninfo(text.trimmed(), nullptr);
    if (!options)
        return false;
    for (const PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (option->val && *option->val && isSecret(QString::fromUtf8(option->keyword)))
            return true;
    }
    return false;
}

QString DatabaseLocation::redacted(const DatabaseConfig &config)
{
    if (config.driver == QLatin1String("QSQLITE"))
        return config.databaseName;

    // A host name goes where a reader expects it; socket folders and host lists only fit in the
    // query, as libpq allows.
    const bool hostInQuery =
        config.host.startsWith(u'/') || config.host.contains(u',') || config.host.isEmpty();
    QStringList query;
    QString uri = u"postgresql://"_s;
    if (!config.userName.isEmpty() || !config.password.isEmpty()) {
        uri += percentEncoded(config.userName);
        if (!config.password.isEmpty())
            uri += u":***"_s;
        uri += u'@';
    }
    if (!hostInQuery)
        uri += config.host.contains(u':') ? u'[' + config.host + u']' : percentEncoded(config.host);
    else if (!config.host.isEmpty())
        query.append(u"host="_s + percentEncoded(config.host));
    if (config.port > 0) {
        if (hostInQuery)
            query.append(u"port=%1"_s.arg(config.port));
        else
            uri += u":%1"_s.arg(config.port);
    }
    uri += u'/' + percentEncoded(config.databaseName);

    // The options were written by parse() in libpq's syntax, with no ';' inside a value.
    QString options = config.connectOptions;
    options.replace(u';', u' ');
    if (const Conninfo parsed = parseConninfo(options, nullptr)) {
        for (const PQconninfoOption *option = parsed.get(); option->keyword; ++option) {
            if (!option->val || !*option->val)
                continue;
            const QString keyword = QString::fromUtf8(option->keyword);
            query.append(
                keyword + u'=' +
                (isSecret(keyword) ? u"***"_s : percentEncoded(QString::fromUtf8(option->val))));
        }
    }
    if (!query.isEmpty())
        uri += u'?' + query.join(u'&');
    return uri;
}
