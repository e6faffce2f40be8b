#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

class Database;

// The database's record of background retraining: a lease so that one node at a time trains,
// and how far the last training read the agents' verdicts.
class ModelTrainingRepository final
{
public:
    struct Verdicts
    {
        // Agent verdicts newer than the last training's, and the newest of them (0: none).
        qint64 newSinceTraining = 0;
        qint64 newestId = 0;
    };

    explicit ModelTrainingRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(ModelTrainingRepository)

    // Takes the lease for owner until `until`, if nobody else holds an unexpired one. Throws
    // StorageError.
    bool claim(const QString &owner, const QDateTime &now, const QDateTime &until);
    // Gives the lease up; with trainedThrough > 0, also records how far a finished training
    // read. Only the holder's call changes anything. Throws StorageError.
    void release(const QString &owner, qint64 trainedThrough, const QDateTime &finishedAt);
    // Throws StorageError.
    Verdicts verdicts();

private:
    QSqlDatabase m_db;
};
