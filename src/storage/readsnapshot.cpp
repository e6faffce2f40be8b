#include "readsnapshot.h"

#include "database.h"
#include "sqldialect.h"
#include "storagelogging.h"

#include <QSqlError>

ReadSnapshot::ReadSnapshot(const Database &database)
    : m_db(database.connection())
{
    m_open = database.dialect().beginReadSnapshot(m_db);
    if (!m_open)
        qCWarning(lcStorage) << "Reading without a snapshot:" << m_db.lastError().text();
}

ReadSnapshot::~ReadSnapshot()
{
    // Nothing was written: ending it either way only lets the snapshot go.
    if (m_open && !m_db.rollback())
        qCWarning(lcStorage) << "Could not end a read snapshot:" << m_db.lastError().text();
}
