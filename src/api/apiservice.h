#pragma once

#include <QHostAddress>
#include <QObject>

class ApiServer;
class Database;
class QThread;

// Runs the HTTP API on a thread of its own, so that API load never stalls the window.
class ApiService final : public QObject
{
    Q_OBJECT

public:
    explicit ApiService(const Database &database, QObject *parent = nullptr);
    ~ApiService() override;
    Q_DISABLE_COPY_MOVE(ApiService)

    // Blocks until the server listens. Returns the bound port, or 0 with errorString() set.
    quint16 start(const QHostAddress &address, quint16 port);
    void stop();

    QString errorString() const { return m_errorString; }

private:
    const Database &m_database;
    QThread *m_thread = nullptr;
    ApiServer *m_server = nullptr;
    QString m_errorString;
};
