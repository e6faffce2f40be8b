#include "apiservice.h"

#include "apilogging.h"
#include "apiserver.h"

#include <QThread>

ApiService::ApiService(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

ApiService::~ApiService()
{
    stop();
}

quint16 ApiService::start(const QHostAddress &address, quint16 port)
{
    stop();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("api"));
    m_server = new ApiServer(m_database);
    m_server->moveToThread(m_thread);
    // Deleted on its own thread once the loop ends, which also closes that thread's connection.
    connect(m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    m_thread->start();

    quint16 bound = 0;
    QMetaObject::invokeMethod(
        m_server,
        [this, &bound, address, port] {
            bound = m_server->listen(address, port);
            if (bound == 0)
                m_errorString = m_server->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (bound == 0) {
        stop();
        return 0;
    }
    qCInfo(lcApi).noquote() << "Listening on" << address.toString() << "port" << bound;
    return bound;
}

void ApiService::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_server = nullptr;
}
