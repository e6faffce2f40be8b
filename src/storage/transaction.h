#pragma once

#include <QSqlDatabase>

// Rolls back unless commit() is reached, so an early return or exception never leaves half a write.
class Transaction final
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    void commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};
