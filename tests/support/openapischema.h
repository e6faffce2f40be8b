#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

// Checks a JSON value against the subset of JSON Schema the OpenAPI document uses, so that the
// document cannot drift from what the server sends.
class OpenApiSchema final
{
public:
    // Every mismatch with its path; a "$ref" is looked up in the document's schemas.
    static QStringList violations(const QJsonValue &value, QJsonObject schema,
                                  const QJsonObject &document, const QString &path);
};
