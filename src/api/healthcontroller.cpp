#include "healthcontroller.h"

#include "apilogging.h"
#include "database.h"
#include "storageerror.h"

HealthController::HealthController(const Database &database)
    : m_database(database)
{}

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
    };
    return ApiReply::json(body, healthy ? QHttpServerResponse::StatusCode::Ok
                                        : QHttpServerResponse::StatusCode::ServiceUnavailable);
}
