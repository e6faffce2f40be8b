#include "temporarydatabase.h"

#include "migrator.h"
#include "postgresserver.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

DatabaseConfig postgresConfig(const QString &databaseName)
{
    DatabaseConfig config;
    config.driver = u"QPSQL"_s;
    config.host = PostgresServer::shared().socketDirectory();
    config.userName = PostgresServer::userName();
    config.databaseName = databaseName;
    return config;
}

} // namespace

TemporaryDatabase::TemporaryDatabase(Schema schema)
{
    Q_ASSERT(m_dir.isValid());
    if (backend() == Backend::PostgreSql) {
        // A fixture cannot fail a test from its constructor; stopping the run with what went
        // wrong beats every test failing later on a missing database.
        const PostgresServer &server = PostgresServer::shared();
        QString error;
        m_postgresName = server.createDatabase(&error);
        if (m_postgresName.isEmpty())
            qFatal("No PostgreSQL test database: %s", qPrintable(error));
        m_database = std::make_unique<Database>(postgresConfig(m_postgresName));
    } else {
        m_database = std::make_unique<Database>(
            DatabaseConfig::sqlite(m_dir.filePath(QStringLiteral("tickets.db"))));
    }
    if (schema == Schema::Empty)
        return;
    try {
        m_database->migrate();
    } catch (...) {
        // The destructor will not run, and the server would keep the database until it stops.
        dropPostgresDatabase();
        throw;
    }
}

TemporaryDatabase::~TemporaryDatabase()
{
    m_database->closeThreadConnection();
    dropPostgresDatabase();
}

void TemporaryDatabase::dropPostgresDatabase()
{
    QString error;
    if (isPostgres() && !PostgresServer::shared().dropDatabase(m_postgresName, &error))
        qWarning().noquote() << error;
}

TemporaryDatabase::Backend TemporaryDatabase::backend()
{
    const QString name = qEnvironmentVariable("SUPPORT_CONSOLE_TEST_BACKEND").toLower();
    if (name.isEmpty() || name == u"sqlite"_s)
        return Backend::Sqlite;
    if (name == u"postgresql"_s || name == u"postgres"_s)
        return Backend::PostgreSql;
    // A misspelt backend would otherwise pass every test on SQLite and prove nothing.
    qFatal("SUPPORT_CONSOLE_TEST_BACKEND must be sqlite or postgresql, not \"%s\"",
           qPrintable(name));
}

QString TemporaryDatabase::path() const
{
    if (!isPostgres())
        return m_database->config().databaseName;
    const DatabaseConfig &config = m_database->config();
    return u"postgresql://%1@/%2?host=%3"_s.arg(
        config.userName, config.databaseName,
        QString::fromLatin1(QUrl::toPercentEncoding(config.host, "/")));
}

void TemporaryDatabase::migrateTo(int version)
{
    const QString dialect = isPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
    const QDir scripts(m_dir.filePath(QStringLiteral("migrations-to-%1").arg(version)));
    if (!scripts.mkpath(dialect))
        qFatal("cannot make %s", qPrintable(scripts.filePath(dialect)));
    const QString below = QStringLiteral("%1").arg(version + 1, 4, 10, QLatin1Char('0'));
    for (const QString &name : QDir(QStringLiteral(":/sql/") + dialect).entryList(QDir::Files)) {
        if (name < below &&
            !QFile::copy(QStringLiteral(":/sql/%1/%2").arg(dialect, name),
                         scripts.filePath(QStringLiteral("%1/%2").arg(dialect, name)))) {
            qFatal("cannot copy migration %s", qPrintable(name));
        }
    }
    Migrator migrator(*m_database, scripts.path());
    migrator.migrate();
    if (migrator.currentVersion() != version)
        qFatal("migrated to %d, not %d", migrator.currentVersion(), version);
}
