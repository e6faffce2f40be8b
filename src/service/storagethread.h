#pragma once

#include "storageerror.h"
#include "ticketsession.h"

#include <QFuture>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <memory>
#include <optional>
#include <type_traits>

class TicketService;

// A thread of the service's for callers that must never wait on the database, such as the
// window: every call runs there, in call order, on that thread's own TicketSession, and answers
// with a QFuture.
class StorageThread final : public QObject
{
    Q_OBJECT

public:
    explicit StorageThread(TicketService &service, QObject *parent = nullptr);
    // Finishes the calls already queued, then closes the thread's connection.
    ~StorageThread() override;
    Q_DISABLE_COPY_MOVE(StorageThread)

    // Runs work(TicketSession &) on the storage thread and answers with its result, or with
    // nothing (false for work without a result) when it threw a StorageError, which
    // storageFailed() also reports. Futures never fail: a continuation's onFailed() with a
    // context that died meanwhile asserts in Qt 6.4.
    template<typename Work> auto run(Work work)
    {
        using Result = std::invoke_result_t<Work, TicketSession &>;
        using Answer = std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>>;
        return QtConcurrent::run(&m_pool, [this, work = std::move(work)]() -> Answer {
            try {
                if constexpr (std::is_void_v<Result>) {
                    work(session());
                    return true;
                } else {
                    return work(session());
                }
            } catch (const StorageError &error) {
                reportFailure(error.message());
                dropLostConnection();
                return Answer{};
            }
        });
    }

Q_SIGNALS:
    void storageFailed(const QString &message);

private:
    TicketSession &session();
    void reportFailure(const QString &message);
    // After a failure: a connection the server dropped is closed, so the next call reconnects.
    void dropLostConnection();

    TicketService &m_service;
    QThreadPool m_pool;
    std::unique_ptr<TicketSession> m_session;
};
