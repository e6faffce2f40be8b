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
    return model;
}

const QString kSummaryColumns = u"SELECT id, kind, version, created_at, active"_s;

} // namespace

LearnedModelRepository::LearnedModelRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
{}

qint64 LearnedModelRepository::insertActive(const LearnedModel &model)
{
    // The old model is switched off first: the unique index on the active model is checked
    // statement by statement, not at commit.
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE learned_models SET active = 0 WHERE kind = ? AND active = 1"_s);
    query.addBindValue(model.kind);
    StatementCache::exec(query, "switch off the active model");

    query.prepare(u"INSERT INTO learned_models (kind, version, created_at, metadata, model, active)"
                  " VALUES (?, ?, ?, ?, ?, 1)"_s);
    query.addBindValue(model.kind);
    query.addBindValue(SqlRow::text(model.version));
    query.addBindValue(model.createdAt.isValid() ? Timestamps::toMs(model.createdAt)
                                                 : QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(SqlRow::text(model.metadata));
    // A null QByteArray would bind as NULL; an empty model is still a (broken) value.
    query.addBindValue(model.model.isNull() ? QByteArray("") : model.model);
    StatementCache::exec(query, "store the model");
    const qint64 id = query.lastInsertId().toLongLong();
    query.finish();
    return id;
}

qint64 LearnedModelRepository::add(const LearnedModel &model)
{
    Transaction transaction(m_database);
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
    query.prepare(u"SELECT 1 FROM learned_models WHERE kind = ? LIMIT 1"_s);
    query.addBindValue(model.kind);
    StatementCache::exec(query, "look for stored models");
    const bool stored = query.next();
    query.finish();
    if (stored)
        return 0;
    const qint64 id = insertActive(model);
    transaction.commit();
    return id;
}

std::optional<LearnedModel> LearnedModelRepository::active(const QString &kind)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns +
                  u", metadata, model FROM learned_models WHERE kind = ? AND active = 1"_s);
    query.addBindValue(kind);
    StatementCache::exec(query, "read the active model");
    if (!query.next())
        return std::nullopt;
    LearnedModel model = summary(query);
    model.metadata = query.value(5).toString();
    model.model = query.value(6).toByteArray();
    return model;
}

std::optional<LearnedModel> LearnedModelRepository::activeVersion(const QString &kind)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns + u" FROM learned_models WHERE kind = ? AND active = 1"_s);
    query.addBindValue(kind);
    StatementCache::exec(query, "read the active model's version");
    if (!query.next())
        return std::nullopt;
    return summary(query);
}

QList<LearnedModel> LearnedModelRepository::list(const QString &kind)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kSummaryColumns + u" FROM learned_models WHERE kind = ? ORDER BY id DESC"_s);
    query.addBindValue(kind);
    StatementCache::exec(query, "list the stored models");
    QList<LearnedModel> models;
    while (query.next())
        models.append(summary(query));
    return models;
}
