#include "openapischema.h"

#include <QJsonArray>

#include <algorithm>
#include <climits>
#include <cmath>

using namespace Qt::StringLiterals;

QStringList OpenApiSchema::violations(const QJsonValue &value, QJsonObject schema,
                                      const QJsonObject &document, const QString &path)
{
    while (schema.contains(u"$ref"_s)) {
        const QString ref = schema.value(u"$ref"_s).toString();
        schema = document[u"components"_s][u"schemas"_s][ref.section(u'/', -1)].toObject();
    }
    for (const QString &choice : {u"oneOf"_s, u"anyOf"_s}) {
        const QJsonArray alternatives = schema.value(choice).toArray();
        if (alternatives.isEmpty())
            continue;
        int matching = 0;
        for (const QJsonValue &alternative : alternatives)
            matching += violations(value, alternative.toObject(), document, path).isEmpty();
        if (matching == 0 || (choice == u"oneOf"_s && matching > 1))
            return {path + u": matches %1 of the %2 alternatives"_s.arg(matching).arg(choice)};
        return {};
    }
    if (const QJsonArray allowed = schema.value(u"enum"_s).toArray();
        !allowed.isEmpty() && !allowed.contains(value))
        return {path + u": not one of the enum's values"_s};
    QStringList types;
    const QJsonValue type = schema.value(u"type"_s);
    if (type.isArray()) {
        for (const QJsonValue &entry : type.toArray())
            types.append(entry.toString());
    } else if (type.isString()) {
        types.append(type.toString());
    }
    if (value.isNull())
        return types.contains(u"null"_s) ? QStringList() : QStringList{path + u": null"_s};

    QStringList found;
    if (value.isObject() && types.contains(u"object"_s)) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        for (const QJsonValue &required : schema.value(u"required"_s).toArray()) {
            if (!object.contains(required.toString()))
                found.append(path + u"."_s + required.toString() + u": missing"_s);
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (properties.contains(it.key())) {
                found +=
                    OpenApiSchema::violations(it.value(), properties.value(it.key()).toObject(),
                                              document, path + u'.' + it.key());
            } else if (schema.value(u"additionalProperties"_s) == QJsonValue(false)) {
                found.append(path + u'.' + it.key() + u": not documented"_s);
            }
        }
    } else if (value.isArray() && types.contains(u"array"_s)) {
        const QJsonArray array = value.toArray();
        if (array.size() < schema.value(u"minItems"_s).toInt(0) ||
            array.size() > schema.value(u"maxItems"_s).toInt(INT_MAX))
            found.append(path + u": %1 items"_s.arg(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            found += OpenApiSchema::violations(array.at(i), schema.value(u"items"_s).toObject(),
                                               document, path + u"[%1]"_s.arg(i));
    } else if (value.isDouble() && types.contains(u"integer"_s)) {
        const double number = value.toDouble();
        if (number != std::floor(number) || number < schema.value(u"minimum"_s).toDouble(-INFINITY))
            found.append(path + u": %1"_s.arg(number));
    } else if (value.isDouble() && types.contains(u"number"_s)) {
        const double number = value.toDouble();
        if (number < schema.value(u"minimum"_s).toDouble(-INFINITY) ||
            number > schema.value(u"maximum"_s).toDouble(INFINITY))
            found.append(path + u": %1"_s.arg(number));
    } else if (value.isString() && types.contains(u"string"_s)) {
        const QString text = value.toString();
        // JSON Schema counts code points.
        const qsizetype characters =
            text.size() -
            std::count_if(text.begin(), text.end(), [](QChar c) { return c.isLowSurrogate(); });
        if (characters < schema.value(u"minLength"_s).toInt(0) ||
            characters > schema.value(u"maxLength"_s).toInt(INT_MAX))
            found.append(path + u": %1 characters"_s.arg(characters));
    } else if (!(value.isBool() && types.contains(u"boolean"_s))) {
        found.append(path + u": not of type "_s + types.join(u'|'));
    }
    return found;
}
