#pragma once

#include "localmodeltrainer.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <chrono>
#include <stop_token>

class Database;

// Retrains the local model in the background once agents have given enough new verdicts, so a
// team need not remember to run `train`: the same training and gate as `train`, on a thread of
// its own (never the window's or the API's), and on one node at a time of a shared database (a
// lease in the database). A node that dies while training loses the lease when it runs out.
class ModelRetrainer final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // New agent verdicts since the last training that start the next; 0 turns it off.
        int verdictsToRetrain = 50;
        std::chrono::milliseconds checkInterval = std::chrono::minutes(1);
        // Longer than any training: another node takes over only after a crash.
        std::chrono::milliseconds leaseDuration = std::chrono::minutes(15);
        LocalModelTrainer::Options training;
    };

    // What one check did.
    struct Outcome
    {
        enum class Kind { NotDue, Busy, Trained, Failed };
        Kind kind = Kind::NotDue;
        qint64 newVerdicts = 0;
        // For Trained: the gate's words and whether the model was replaced; for Failed: why.
        QString message;
        bool replaced = false;
    };

    ModelRetrainer(const Database &database, Options options, QObject *parent = nullptr);
    // Stops a training in progress once its current SVM training is over (a few seconds at most
    // at 100,000 tickets, far less for a team's thousands), and waits for that: closing the
    // window must not wait for a whole training.
    ~ModelRetrainer() override;
    Q_DISABLE_COPY_MOVE(ModelRetrainer)

    void start();
    void stop();
    // Applies from the next check; 0 stops checking.
    void setVerdictsToRetrain(int verdicts);
    // Checks at once instead of at the next interval; a check already running is not doubled.
    void checkNow();

Q_SIGNALS:
    void checked(const ModelRetrainer::Outcome &outcome);

private:
    Outcome check(const Options &options) const;
    // Gives the lease back without moving the mark, ignoring a database that fails meanwhile.
    void releaseQuietly() const;

    const Database &m_database;
    Options m_options;
    const QString m_owner;
    std::stop_source m_stop;
    QThreadPool m_pool;
    QTimer m_timer;
    bool m_checking = false;
};
Q_DECLARE_METATYPE(ModelRetrainer::Outcome)
