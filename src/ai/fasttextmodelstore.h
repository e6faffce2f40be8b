#pragma once

#include <QString>

class Database;

// The fastText model v0.3 kept in files beside the SQLite database, brought into the database's
// learned_models table, where LearnedModelStore reads it like any other learned model.
class FastTextModelStore final
{
public:
    explicit FastTextModelStore(const Database &database);
    Q_DISABLE_COPY_MOVE(FastTextModelStore)

    // v0.3 kept the model beside the SQLite file, as "<database>.fasttext.json" naming a
    // "<database>.fasttext-<version>.bin". Stores that model when the database has none yet, so
    // an upgrade keeps it; the files are left in place. Returns a line for the user when it
    // imported a model or could not, otherwise an empty string.
    QString importVersion03Files() const;

private:
    const Database &m_database;
};
