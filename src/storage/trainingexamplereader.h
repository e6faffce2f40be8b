#pragma once

#include "trainingexample.h"

#include <QList>
#include <QString>

class Database;

// Reads the tickets whose category is known, for training the learned model: imported tickets
// in one language, labelled through their dataset queue, and every ticket an agent confirmed or
// corrected, labelled with the agent's newest verdict (which overrides the queue).
class TrainingExampleReader final
{
public:
    explicit TrainingExampleReader(const Database &database);

    // Oldest ticket first. Throws StorageError.
    QList<TrainingExample> read(const QString &language = QStringLiteral("en")) const;

private:
    const Database &m_database;
};
