#pragma once

#include "learnedmodel.h"

#include <QLatin1StringView>
#include <QString>

#include <memory>

class Database;
class FastTextClassifier;

// Where the learned model lives: in the database's learned_models table, so that every window
// and API node sharing the database uses the model trained on any of them. Storing a model
// makes it the active one in one transaction; earlier models are kept.
class FastTextModelStore final
{
public:
    static constexpr QLatin1StringView kKind = LearnedModel::kFastText;

    explicit FastTextModelStore(const Database &database);
    Q_DISABLE_COPY_MOVE(FastTextModelStore)

    // Whether a learned model (of any kind) is active. Throws StorageError.
    bool exists() const;
    // The active model's id, 0 when there is none: a cheap query for noticing a model stored by
    // another node. Throws StorageError.
    qint64 activeModelId() const;
    // The active model, or null with *error set (none, not fastText, unreadable, or a database
    // failure).
    // *id, when given, is set to the id of the model read (even if it could not be loaded) or
    // to 0 when none is stored; it is left alone when the database could not be read.
    std::unique_ptr<FastTextClassifier> load(QString *error, qint64 *id = nullptr) const;
    // Stores the model and makes it the active one. Returns false with *error set; the
    // previous model is then still the active one.
    bool save(FastTextClassifier *classifier, QString *error) const;
    // For messages: where the model is kept, without passwords.
    QString location() const;

    // v0.3 kept the model beside the SQLite file, as "<database>.fasttext.json" naming a
    // "<database>.fasttext-<version>.bin". Stores that model when the database has none yet, so
    // an upgrade keeps it; the files are left in place. Returns a line for the user when it
    // imported a model or could not, otherwise an empty string.
    QString importVersion03Files() const;

private:
    const Database &m_database;
};
