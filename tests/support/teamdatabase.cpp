#include "teamdatabase.h"

#include "database.h"
#include "postgresserver.h"
#include "testtoken.h"

#include <QDebug>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

TeamDatabase::TeamDatabase()
{
    const PostgresServer &server = PostgresServer::shared();
    if (!server.isRunning()) {
        m_error = server.errorString();
        return;
    }
    m_name = server.createDatabase(&m_error);
    m_connectionName = u"team-check-"_s + m_name;
}

TeamDatabase::~TeamDatabase()
{
    if (!isValid())
        return;
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    QString error;
    if (!PostgresServer::shared().dropDatabase(m_name, &error))
        qWarning().noquote() << error;
}

QString TeamDatabase::uri() const
{
    return u"postgresql://%1@/%2?host=%3"_s.arg(
        PostgresServer::userName(), m_name,
        QString::fromLatin1(
            QUrl::toPercentEncoding(PostgresServer::shared().socketDirectory(), "/")));
}

DatabaseConfig TeamDatabase::config() const
{
    DatabaseConfig config;
    config.driver = u"QPSQL"_s;
    config.host = PostgresServer::shared().socketDirectory();
    config.userName = PostgresServer::userName();
    config.databaseName = m_name;
    return config;
}

QSqlDatabase TeamDatabase::connection()
{
    if (!QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
        db.setHostName(PostgresServer::shared().socketDirectory());
        db.setUserName(PostgresServer::userName());
        db.setDatabaseName(m_name);
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        db.open();
    return db;
}

std::optional<QVariant> TeamDatabase::scalar(const QString &sql, QString *error)
{
    const QVariantList values = column(sql, error);
    if (values.isEmpty())
        return std::nullopt;
    return values.constFirst();
}

QVariantList TeamDatabase::column(const QString &sql, QString *error)
{
    QVariantList values;
    QSqlDatabase db = connection();
    QSqlQuery query(db);
    if (!db.isOpen() || !query.exec(sql)) {
        if (error) {
            *error = u"%1: %2"_s.arg(sql, db.isOpen() ? query.lastError().text()
                                                      : db.lastError().text());
        }
        return values;
    }
    while (query.next())
        values.append(query.value(0));
    return values;
}

bool TeamDatabase::execute(const QString &sql, QString *error)
{
    QSqlDatabase db = connection();
    QSqlQuery query(db);
    if (db.isOpen() && query.exec(sql))
        return true;
    if (error) {
        *error =
            u"%1: %2"_s.arg(sql, db.isOpen() ? query.lastError().text() : db.lastError().text());
    }
    return false;
}

QByteArray TeamDatabase::createToken(const QString &name)
{
    const Database database(config());
    database.migrate();
    const QByteArray token = makeTestToken(
        database, Scope::TicketsRead | Scope::TicketsWrite | Scope::StatsRead | Scope::EventsRead,
        name);
    database.closeThreadConnection();
    return token;
}
