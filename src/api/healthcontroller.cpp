#include "healthcontroller.h"

#include "apilogging.h"
#include "classificationservice.h"
#include "database.h"
#include "storageerror.h"

#include <QJsonArray>

HealthController::HealthController(const Database &database,
                                   const ClassificationService *classification)
    : m_database(database)
    , m_classification(classification)
{}

QJsonValue HealthController::classificationJson() const
{
    if (!m_classification)
        return QJsonValue::Null;
    const ClassificationStatus status = m_classification->status();
    QJsonArray providers;
    for (const ClassificationStatus::Provider &provider : status.providers) {
        QJsonObject entry{{QStringLiteral("name"), provider.name},
                          {QStringLiteral("state"), provider.state}};
        if (!provider.model.isEmpty())
            entry.insert(QStringLiteral("model"), provider.model);
        if (!provider.lastError.isEmpty())
            entry.insert(QStringLiteral("last_error"), provider.lastError);
        providers.append(entry);
    }
    return QJsonObject{
        {QStringLiteral("status"),
         status.running ? QStringLiteral("running") : QStringLiteral("stopped")},
        {QStringLiteral("pending"), status.pending},
        {QStringLiteral("failed"), status.failed},
        {QStringLiteral("classified_since_start"), status.classifiedSinceStart},
        {QStringLiteral("providers"), providers},
    };
}

QJsonObject HealthController::body(bool *healthy) const
{
    QJsonObject database{{QStringLiteral("driver"), m_database.config().driver}};
    *healthy = true;
    try {
        database.insert(QStringLiteral("schema_version"), m_database.schemaVersion());
        database.insert(QStringLiteral("status"), QStringLiteral("ok"));
    } catch (const StorageError &error) {
        qCWarning(lcApi) << "Health check failed:" << error.message();
        database.insert(QStringLiteral("status"), QStringLiteral("unavailable"));
        *healthy = false;
    }
    return {
        {QStringLiteral("status"), *healthy ? QStringLiteral("ok") : QStringLiteral("unavailable")},
        {QStringLiteral("version"), QStringLiteral(SUPPORT_CONSOLE_VERSION)},
        {QStringLiteral("database"), database},
        {QStringLiteral("classification"), classificationJson()},
    };
}

ApiResult HealthController::get()
{
    bool healthy = false;
    const QJsonObject reply = body(&healthy);
    return ApiReply::json(reply, healthy ? QHttpServerResponse::StatusCode::Ok
                                         : QHttpServerResponse::StatusCode::ServiceUnavailable);
}

ApiResult HealthController::detail()
{
    bool healthy = false;
    QJsonObject reply = body(&healthy);
    // The worker's snapshot: read when the model was loaded, no query per request.
    std::optional<LearnedModelStore::Summary> learned;
    if (m_classification)
        learned = m_classification->status().learnedModel;
    reply.insert(QStringLiteral("learned_model"),
                 learned ? QJsonValue(learned->toJson()) : QJsonValue(QJsonValue::Null));
    return ApiReply::json(reply, healthy ? QHttpServerResponse::StatusCode::Ok
                                         : QHttpServerResponse::StatusCode::ServiceUnavailable);
}
