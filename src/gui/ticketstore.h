#pragma once

#include "classificationrepository.h"
#include "statsrepository.h"
#include "storageerror.h"
#include "ticketrepository.h"

#include <QFuture>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <memory>
#include <optional>
#include <type_traits>

class Database;

// The window's way to the database: every call runs on one storage thread of its own, which
// owns its QtSql connection, and answers with a QFuture. The GUI thread never waits for SQLite.
class TicketStore final : public QObject
{
    Q_OBJECT

public:
    // What a call may use; lives on the storage thread only.
    struct Repositories
    {
        explicit Repositories(const Database &database)
            : tickets(database)
            , classifications(database)
            , stats(database)
        {}
        TicketRepository tickets;
        ClassificationRepository classifications;
        StatsRepository stats;
    };

    explicit TicketStore(const Database &database, QObject *parent = nullptr);
    // Finishes the calls already queued, then closes the storage thread's connection.
    ~TicketStore() override;
    Q_DISABLE_COPY_MOVE(TicketStore)

    // Runs work(Repositories &) on the storage thread, in call order, and answers with its
    // result, or with nothing (false for work without a result) when it threw a StorageError,
    // which storageFailed() also reports. Futures never fail: a continuation's onFailed() with
    // a context that died meanwhile asserts in Qt 6.4.
    template<typename Work> auto run(Work work)
    {
        using Result = std::invoke_result_t<Work, Repositories &>;
        using Answer = std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>>;
        return QtConcurrent::run(&m_pool, [this, work = std::move(work)]() -> Answer {
            try {
                if constexpr (std::is_void_v<Result>) {
                    work(repositories());
                    return true;
                } else {
                    return work(repositories());
                }
            } catch (const StorageError &error) {
                reportFailure(error.message());
                return Answer{};
            }
        });
    }

Q_SIGNALS:
    void storageFailed(const QString &message);

private:
    Repositories &repositories();
    void reportFailure(const QString &message);

    const Database &m_database;
    QThreadPool m_pool;
    std::unique_ptr<Repositories> m_repositories;
};
