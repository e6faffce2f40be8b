#include "learnedmodelrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "statementcache.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

LearnedModel summary(const QSqlQuery &query)
{
    LearnedModel model;
    model.id = query.value(0).toLongLong();
    model.kind = query.value(1).toString();
    model.version = query.value(2).toString();
    model.createdAt = Timestamps::fromMs(query.value(3).toLongLong());
    model.active = query.value(4).toInt() != 0;
    model.pinned = query.value(5).toInt() != 0;
    return model;
}

const QString kSummaryColumns = u"SELECT id, kind, version, created_at, active, pinned"_s;

// The rows of a slot, as the unique index on the active model groups them.
QString inSlot(LearnedModel::Slot slot)
{
    return slot == LearnedModel::Slot::RulesCalibration ? u"kind = 'rules_calibration'"_s
                                                        : u"kind <> 'rules_calibration'"_s;
}

} // namespace

LearnedModelRepository::LearnedModelRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
{}

void LearnedModelRepository::switchOffActive(Slot slot)
{
    // Before the new active model: the unique index on the active model is checked statement
    // by statement, not at commit.
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE learned_models SET active = 0, pinned = 0 WHERE active = 1 AND "_s +
                  inSlot(slot));
    StatementCache::exec(query, "switch off the active model");
}

qint64 LearnedModelRepository::insertActive(const LearnedModel &model)
{
    // Another writer's model may have become active since this transaction looked (PostgreSQL
    // reads what others committed statement by statement): the unique index on the active model
    // then refuses this one, which is the answer "someone else stored first", not an error.
    QSqlQuery query(m_db);
    query.prepare(u"INSERT INTO learned_models (kind, version, created_at, metadata, model, active)"
                  " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING"_s);
    query.addBindValue(model.kind);
    query.addBindValue(SqlRow::text(model.version));
    query.addBindValue(model.createdAt.isValid() ? Timestamps::toMs(model.createdAt)
                                                 : QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(SqlRow::text(model.metadata));
    // A null QByteArray would bind as NULL; an empty model is still a (broken) value.
    query.addBindValue(model.model.isNull() ? QByteArray("") : model.model);
    StatementCache::exec(query, "store the model");
    if (query.numRowsAffected() != 1) {
        query.finish();
        // Only the active model's index may turn the row away; any other conflict is a fault.
        if (!activeVersion(LearnedModel::slotOf(model.kind)))
            throw StorageError(QStringLiteral("Could not store the model: the database refused "
                                              "it without another model being in use"));
        return 0;
    }
    const qint64 id = query.lastInsertId().toLongLong();
    query.finish();
    // Retraining in the background stores a model a day or more: the newest are enough to roll
    // back to, and a model's megabytes should not pile up for years.
    const QString slot = inSlot(LearnedModel::slotOf(model.kind));
    query.prepare(u"DELETE FROM learned_models WHERE active = 0 AND "_s + slot +
                  u" AND id < (SELECT MIN(id) FROM (SELECT id FROM learned_models WHERE "_s + slot +
                  u" ORDER BY id DESC LIMIT %1) AS newest)"_s.arg(LearnedModelRepository::kKept));
    StatementCache::exec(query, "forget the oldest models");
    return id;
}

qint64 LearnedModelRepository::add(const LearnedModel &model)
{
    Transaction transaction(m_database);
    switchOffActive(LearnedModel::slotOf(model.kind));
    const qint64 id = insertActive(model);
    transaction.commit();
    return id;
}

qint64 LearnedModelRepository::addIfNoneStored(const LearnedModel &model)
{
    // The write transaction makes the check and the insert one step for every other writer.
    Transaction transaction(m_database);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT 1 FROM learned_models WHERE "_s +
                  inSlot(LearnedModel::slotOf(model.kind)) + u" LIMIT 1"_s);
    StatementCache::exec(query, "look for stored models");
    const bool stored = query.next();
    query.finish();
    if (stored)
        return 0;
    const qint64 id = insertActive(model);
    transaction.commit();
    return id;
}

qint64 LearnedModelRepository::addReplacing(const LearnedModel &model, qint64 expectedActiveId)
{
    Transaction transaction(m_database);
    const Slot slot = LearnedModel::slotOf(model.kind);
    if (expectedActiveId == 0) {
        // Two first models stored at once: the unique index refuses the second.
        if (activeVersion(slot))
            return 0;
    } else {
        // Switching the expected model off first locks its row on PostgreSQL: a second node
        // replacing it waits, then finds it switched off and stores nothing.
        QSqlQuery query(m_db);
        query.prepare(u"UPDATE learned_models SET active = 0"
                      " WHERE id = ? AND active = 1 AND pinned = 0"_s);
        query.addBindValue(expectedActiveId);
        StatementCache::exec(query, "switch off the active model");
        if (query.numRowsAffected() != 1)
            return 0;
    }
    const qint64 id = insertActive(model);
    transaction.commit();
    return id;
}

std::optional<LearnedModel> LearnedModelRepository::active(Slot slot)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns +
                  u", metadata, model FROM learned_models WHERE active = 1 AND "_s + inSlot(slot));
    StatementCache::exec(query, "read the active model");
    if (!query.next())
        return std::nullopt;
    LearnedModel model = summary(query);
    model.metadata = query.value(6).toString();
    model.model = query.value(7).toByteArray();
    return model;
}

std::optional<LearnedModel> LearnedModelRepository::activeVersion(Slot slot)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns + u" FROM learned_models WHERE active = 1 AND "_s + inSlot(slot));
    StatementCache::exec(query, "read the active model's version");
    if (!query.next())
        return std::nullopt;
    return summary(query);
}

std::optional<LearnedModel> LearnedModelRepository::find(qint64 id)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns + u", metadata FROM learned_models WHERE id = ?"_s);
    query.addBindValue(id);
    StatementCache::exec(query, "read a stored model");
    if (!query.next())
        return std::nullopt;
    LearnedModel model = summary(query);
    model.metadata = query.value(6).toString();
    return model;
}

QList<LearnedModel> LearnedModelRepository::list(Slot slot)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns + u", metadata FROM learned_models WHERE "_s + inSlot(slot) +
                  u" ORDER BY id DESC"_s);
    StatementCache::exec(query, "list the stored models");
    QList<LearnedModel> models;
    while (query.next()) {
        models.append(summary(query));
        models.last().metadata = query.value(6).toString();
    }
    return models;
}

bool LearnedModelRepository::activate(qint64 id)
{
    Transaction transaction(m_database);
    const std::optional<LearnedModel> model = find(id);
    if (!model)
        return false;
    // Already in use: switching it off and on again would drop its pin.
    if (model->active)
        return true;
    switchOffActive(LearnedModel::slotOf(model->kind));
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE learned_models SET active = 1 WHERE id = ?"_s);
    query.addBindValue(id);
    StatementCache::exec(query, "make a stored model the active one");
    transaction.commit();
    return true;
}

bool LearnedModelRepository::setActivePinned(Slot slot, bool pinned)
{
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE learned_models SET pinned = ? WHERE active = 1 AND "_s + inSlot(slot));
    query.addBindValue(pinned ? 1 : 0);
    StatementCache::exec(query, "pin the active model");
    return query.numRowsAffected() > 0;
}
