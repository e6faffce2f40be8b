#pragma once

#include <QSqlDatabase>

class Database;

// A read-only transaction on the calling thread's connection in which every read sees the same
// data, so that a count and the rows it counts agree although another connection commits
// between them. Where the database cannot start one, the reads see each commit as it lands.
class ReadSnapshot final
{
public:
    explicit ReadSnapshot(const Database &database);
    ~ReadSnapshot();
    Q_DISABLE_COPY_MOVE(ReadSnapshot)

private:
    QSqlDatabase m_db;
    bool m_open = false;
};
