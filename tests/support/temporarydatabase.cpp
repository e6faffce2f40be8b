#include "temporarydatabase.h"

TemporaryDatabase::TemporaryDatabase()
    : m_database(std::make_unique<Database>(
          DatabaseConfig::sqlite(m_dir.filePath(QStringLiteral("tickets.db")))))
{
    Q_ASSERT(m_dir.isValid());
    m_database->migrate();
}

TemporaryDatabase::~TemporaryDatabase()
{
    m_database->closeThreadConnection();
}

QString TemporaryDatabase::path() const
{
    return m_database->config().databaseName;
}
