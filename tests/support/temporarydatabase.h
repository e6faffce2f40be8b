#pragma once

#include "database.h"

#include <QTemporaryDir>

#include <memory>

// A migrated SQLite database in a fresh temporary folder, removed with the fixture.
class TemporaryDatabase final
{
public:
    TemporaryDatabase();
    ~TemporaryDatabase();
    Q_DISABLE_COPY_MOVE(TemporaryDatabase)

    Database &database() { return *m_database; }
    QString path() const;
    QString folder() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_database;
};
