#pragma once

#include "classificationoptions.h"
#include "classificationstatus.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

class ClassificationWorker;
class ModelRetrainer;
class Database;

// Classifies every stored ticket in the background, on a thread of its own with a worker pool,
// so neither the window nor the API ever waits for a classifier. Its methods may be called from
// any thread; its signals are emitted from the classification thread.
class ClassificationService final : public QObject
{
    Q_OBJECT

public:
    ClassificationService(const Database &database, ClassificationOptions options,
                          QObject *parent = nullptr);
    ~ClassificationService() override;
    Q_DISABLE_COPY_MOVE(ClassificationService)

    void start();
    // Waits for the classification in progress; unfinished jobs stay queued for the next start.
    void stop();
    // Applies new options (provider order, remote URL and model, review threshold) by restarting
    // the worker; queued tickets stay queued. Call from the thread that owns the service.
    void reconfigure(ClassificationOptions options);
    // Cheap enough to call for every ticket stored: wake-ups coalesce.
    void wake();
    ClassificationStatus status() const;

Q_SIGNALS:
    void classificationsStored(const QList<qint64> &ticketIds);
    void classificationsFailed(const QList<qint64> &ticketIds);
    void statusChanged();

private:
    void setStatus(const ClassificationStatus &status);

    QThread m_thread;
    ClassificationWorker *m_worker;
    // Lives on the owner's thread; it trains on a thread of its own.
    std::unique_ptr<ModelRetrainer> m_retrainer;
    std::atomic_bool m_wakePosted = false;
    mutable QMutex m_statusMutex;
    ClassificationStatus m_status;
};
