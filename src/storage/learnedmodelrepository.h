#pragma once

#include "learnedmodel.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// Trained models kept in the database, so that every node sharing it uses the same one. Each
// slot (LearnedModel::Slot) has at most one active model; earlier models are kept, for rolling
// back.
class LearnedModelRepository final
{
public:
    using Slot = LearnedModel::Slot;
    // Models kept per slot, the active one included; storing one more forgets the oldest.
    static constexpr int kKept = 20;

    explicit LearnedModelRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(LearnedModelRepository)

    // Stores the model (kind, version, metadata, model; createdAt or now) and makes it its
    // slot's active model, in one transaction. Returns its id, or 0 when another writer's model
    // became active at the same moment. Throws StorageError.
    qint64 add(const LearnedModel &model);
    // Like add(), but only when the model's slot has no model at all; returns 0 otherwise. For
    // imports that must not replace a model trained meanwhile. Throws StorageError.
    qint64 addIfNoneStored(const LearnedModel &model);
    // Like add(), but only when the slot's active model is the one expected (0: none) and is
    // not pinned; returns 0 otherwise. For training that must not replace a model an admin
    // chose, or one another node stored while it trained. Throws StorageError.
    qint64 addReplacing(const LearnedModel &model, qint64 expectedActiveId);
    // The slot's active model with its metadata and bytes. Throws StorageError.
    std::optional<LearnedModel> active(Slot slot);
    // The slot's active model without metadata and bytes: one index lookup, cheap enough to
    // poll. Throws StorageError.
    std::optional<LearnedModel> activeVersion(Slot slot);
    // One stored model with its metadata, without its bytes. Throws StorageError.
    std::optional<LearnedModel> find(qint64 id);
    // Every model of the slot, newest first, with metadata but without bytes. Throws
    // StorageError.
    QList<LearnedModel> list(Slot slot);
    // Makes the stored model its slot's active one, unpinned (the active one stays as it is,
    // pin included). False when there is no such model. Throws StorageError.
    bool activate(qint64 id);
    // Pins or unpins the slot's active model. False when the slot has no active model. Throws
    // StorageError.
    bool setActivePinned(Slot slot, bool pinned);

private:
    // 0 when the slot has an active model already.
    qint64 insertActive(const LearnedModel &model);
    void switchOffActive(Slot slot);

    const Database &m_database;
    QSqlDatabase m_db;
};
