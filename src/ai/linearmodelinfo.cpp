#include "linearmodelinfo.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QJsonObject LinearModelInfo::toJson() const
{
    return {{u"format_version"_s, kFormatVersion},
            {u"version"_s, version},
            {u"trained_at"_s, trainedAt.toUTC().toString(Qt::ISODateWithMs)},
            {u"training_size"_s, trainingSize},
            {u"folds"_s, folds},
            {u"cost"_s, cost},
            {u"accuracy"_s, accuracy},
            {u"macro_f1"_s, macroF1},
            {u"expected_calibration_error"_s, expectedCalibrationError},
            {u"confidence_auroc"_s, confidenceAuroc},
            {u"rules_accuracy"_s, rulesAccuracy},
            {u"rules_macro_f1"_s, rulesMacroF1},
            {u"learning_curve"_s, learningCurve.toJson()}};
}

std::optional<LinearModelInfo> LinearModelInfo::fromJson(const QJsonObject &json, QString *error)
{
    const int format = json.value(u"format_version"_s).toInt(0);
    if (format < 1 || format > kFormatVersion) {
        *error =
            QCoreApplication::translate("LinearModelInfo", "unsupported model metadata format %1")
                .arg(format);
        return std::nullopt;
    }
    LinearModelInfo info;
    info.version = json.value(u"version"_s).toString();
    info.trainedAt =
        QDateTime::fromString(json.value(u"trained_at"_s).toString(), Qt::ISODateWithMs);
    if (info.version.isEmpty() || !info.trainedAt.isValid()) {
        *error = QCoreApplication::translate("LinearModelInfo",
                                             "model metadata lacks its version or date");
        return std::nullopt;
    }
    info.trainingSize = json.value(u"training_size"_s).toInteger();
    info.folds = json.value(u"folds"_s).toInt();
    info.cost = json.value(u"cost"_s).toDouble();
    info.accuracy = json.value(u"accuracy"_s).toDouble();
    info.macroF1 = json.value(u"macro_f1"_s).toDouble();
    info.expectedCalibrationError = json.value(u"expected_calibration_error"_s).toDouble();
    info.confidenceAuroc = json.value(u"confidence_auroc"_s).toDouble();
    info.rulesAccuracy = json.value(u"rules_accuracy"_s).toDouble();
    info.rulesMacroF1 = json.value(u"rules_macro_f1"_s).toDouble();
    info.learningCurve = LearningCurve::fromJson(json.value(u"learning_curve"_s).toObject());
    return info;
}
