#include "classificationservice.h"

#include "classificationworker.h"
#include "modelretrainer.h"

namespace {

std::unique_ptr<ModelRetrainer> makeRetrainer(const Database &database,
                                              const ClassificationOptions &options)
{
    ModelRetrainer::Options retraining;
    retraining.verdictsToRetrain = options.retrainAfterVerdicts;
    return std::make_unique<ModelRetrainer>(database, retraining);
}

} // namespace

ClassificationService::ClassificationService(const Database &database,
                                             ClassificationOptions options, QObject *parent)
    : QObject(parent)
    , m_worker(new ClassificationWorker(database, options))
    , m_retrainer(makeRetrainer(database, options))
{
    m_thread.setObjectName(QStringLiteral("classification"));
    m_worker->moveToThread(&m_thread);
    // Direct: re-emitted on the classification thread, so receivers on other threads get them
    // queued straight to their own event loop, not through this object's thread.
    connect(m_worker, &ClassificationWorker::classificationsStored, this,
            &ClassificationService::classificationsStored, Qt::DirectConnection);
    connect(m_worker, &ClassificationWorker::classificationsFailed, this,
            &ClassificationService::classificationsFailed, Qt::DirectConnection);
    connect(m_worker, &ClassificationWorker::statusChanged, this, &ClassificationService::setStatus,
            Qt::DirectConnection);
}

ClassificationService::~ClassificationService()
{
    stop();
    delete m_worker;
}

void ClassificationService::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &ClassificationWorker::start, Qt::QueuedConnection);
    m_retrainer->start();
}

void ClassificationService::stop()
{
    if (!m_thread.isRunning())
        return;
    m_retrainer->stop();
    QMetaObject::invokeMethod(m_worker, &ClassificationWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ClassificationService::reconfigure(ClassificationOptions options)
{
    const bool wasRunning = m_thread.isRunning();
    stop();
    // The worker's thread is not running, so nothing else touches it now.
    // Not rebuilt: that would wait here for a training in progress.
    m_retrainer->setVerdictsToRetrain(options.retrainAfterVerdicts);
    m_worker->setOptions(std::move(options));
    if (wasRunning)
        start();
}

void ClassificationService::wake()
{
    if (m_wakePosted.exchange(true))
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            m_wakePosted = false;
            m_worker->wake();
        },
        Qt::QueuedConnection);
}

ClassificationStatus ClassificationService::status() const
{
    QMutexLocker locker(&m_statusMutex);
    return m_status;
}

void ClassificationService::setStatus(const ClassificationStatus &status)
{
    {
        QMutexLocker locker(&m_statusMutex);
        m_status = status;
    }
    Q_EMIT statusChanged();
}
