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

ApiResult HealthController::get()
{
    QJsonObject database{{QStringLiteral("driver"), m_database.config().driver}};
    bool healthy = true;
    try {
        database.insert(QStringLiteral("schema_version"), m_database.schemaVersion());
        database.insert(QStringLiteral("status"), QStringLiteral("ok"));
    } catch (const StorageError &error) {
        qCWarning(lcApi) << "Health check failed:" << error.message();
        database.insert(QStringLiteral("status"), QStringLiteral("unavailable"));
        healthy = false;
    }
    const QJsonObject body{
        {QStringLiteral("status"), healthy ? QStringLiteral("ok") : QStringLiteral("unavailable")},
        {QStringLiteral("version"), QStringLiteral(SUPPORT_CONSOLE_VERSION)},
        {QStringLiteral("database"), database},
        {QStringLiteral("classification"), classificationJson()},
    };
    return ApiReply::json(body, healthy ? QHttpServerResponse::StatusCode::Ok
                                        : QHttpServerResponse::StatusCode::ServiceUnavailable);
}
