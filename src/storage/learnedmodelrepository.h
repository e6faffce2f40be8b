#pragma once

#include "learnedmodel.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// Trained models kept in the database, so that every node sharing it uses the same one. Each
// kind has at most one active model; earlier models are kept.
class LearnedModelRepository final
{
public:
    explicit LearnedModelRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(LearnedModelRepository)

    // Stores the model (kind, version, metadata, model; createdAt or now) and makes it the
    // kind's active model, in one transaction. Returns its id. Throws StorageError.
    qint64 add(const LearnedModel &model);
    // Like add(), but only when the kind has no model at all; returns 0 otherwise. For imports
    // that must not replace a model trained meanwhile. Throws StorageError.
    qint64 addIfNoneStored(const LearnedModel &model);
    // The kind's active model with its metadata and bytes. Throws StorageError.
    std::optional<LearnedModel> active(const QString &kind);
    // The kind's active model's id and version only: one index lookup, cheap enough to poll.
    // Throws StorageError.
    std::optional<LearnedModel> activeVersion(const QString &kind);
    // Every model of the kind, newest first, without metadata and bytes. Throws StorageError.
    QList<LearnedModel> list(const QString &kind);

private:
    qint64 insertActive(const LearnedModel &model);

    const Database &m_database;
    QSqlDatabase m_db;
};
