#include "fasttextmodelinfo.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FastTextModelInfo", text);
}

} // namespace

QJsonObject FastTextModelInfo::toJson() const
{
    const QJsonObject parameters{{u"dim"_s, hyperParameters.dimension},
                                 {u"epoch"_s, hyperParameters.epochs},
                                 {u"lr"_s, hyperParameters.learningRate},
                                 {u"word_ngrams"_s, hyperParameters.wordNgrams},
                                 {u"min_count"_s, hyperParameters.minCount},
                                 {u"bucket"_s, hyperParameters.buckets},
                                 {u"seed"_s, hyperParameters.seed},
                                 {u"loss"_s, u"softmax"_s},
                                 {u"thread"_s, 1}};
    return {{u"format_version"_s, kFormatVersion},
            {u"version"_s, version},
            {u"trained_at"_s, trainedAt.toUTC().toString(Qt::ISODateWithMs)},
            {u"model_file"_s, modelFile},
            {u"tokenizer_version"_s, tokenizerVersion},
            {u"hyper_parameters"_s, parameters},
            {u"training_size"_s, trainingSize},
            {u"held_out_size"_s, heldOutSize},
            {u"accuracy"_s, accuracy},
            {u"macro_f1"_s, macroF1},
            {u"expected_calibration_error"_s, expectedCalibrationError},
            {u"rules_accuracy"_s, rulesAccuracy},
            {u"calibration"_s, calibrator.toJson()}};
}

std::optional<FastTextModelInfo> FastTextModelInfo::fromJson(const QJsonObject &json,
                                                             QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const int format = json.value(u"format_version"_s).toInt(0);
    if (format < 1 || format > kFormatVersion)
        return fail(tr("unsupported model metadata format %1").arg(format));

    FastTextModelInfo info;
    info.version = json.value(u"version"_s).toString();
    info.trainedAt =
        QDateTime::fromString(json.value(u"trained_at"_s).toString(), Qt::ISODateWithMs);
    info.modelFile = json.value(u"model_file"_s).toString();
    info.tokenizerVersion = json.value(u"tokenizer_version"_s).toInt(0);
    if (info.version.isEmpty() || !info.trainedAt.isValid())
        return fail(tr("model metadata lacks its version or date"));
    // A name with a path in it would let the metadata point anywhere on the disk.
    if (info.modelFile.contains(u'/') || info.modelFile.startsWith(u'.'))
        return fail(tr("model metadata names an invalid model file"));

    const QJsonObject parameters = json.value(u"hyper_parameters"_s).toObject();
    info.hyperParameters.dimension = parameters.value(u"dim"_s).toInt();
    info.hyperParameters.epochs = parameters.value(u"epoch"_s).toInt();
    info.hyperParameters.learningRate = parameters.value(u"lr"_s).toDouble();
    info.hyperParameters.wordNgrams = parameters.value(u"word_ngrams"_s).toInt();
    info.hyperParameters.minCount = parameters.value(u"min_count"_s).toInt();
    info.hyperParameters.buckets = parameters.value(u"bucket"_s).toInt();
    info.hyperParameters.seed = parameters.value(u"seed"_s).toInt();

    info.trainingSize = json.value(u"training_size"_s).toInteger();
    info.heldOutSize = json.value(u"held_out_size"_s).toInteger();
    info.accuracy = json.value(u"accuracy"_s).toDouble();
    info.macroF1 = json.value(u"macro_f1"_s).toDouble();
    info.expectedCalibrationError = json.value(u"expected_calibration_error"_s).toDouble();
    info.rulesAccuracy = json.value(u"rules_accuracy"_s).toDouble();
    const std::optional<ConfidenceCalibrator> calibrator =
        ConfidenceCalibrator::fromJson(json.value(u"calibration"_s).toObject());
    if (!calibrator)
        return fail(tr("model metadata lacks a valid calibration"));
    info.calibrator = *calibrator;
    return info;
}
