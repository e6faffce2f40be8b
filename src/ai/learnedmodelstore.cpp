#include "learnedmodelstore.h"

#include "database.h"
#include "databaselocation.h"
#include "fasttextclassifier.h"
#include "fasttextmodelinfo.h"
#include "learnedmodelrepository.h"
#include "linearclassifier.h"
#include "linearmodel.h"
#include "rulesclassifier.h"
#include "storageerror.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

constexpr LearnedModel::Slot kClassifier = LearnedModel::Slot::Classifier;

QJsonObject metadataObject(const LearnedModel &model)
{
    return QJsonDocument::fromJson(model.metadata.toUtf8()).object();
}

} // namespace

QJsonObject LearnedModelStore::Summary::toJson() const
{
    QJsonObject json{{u"id"_s, id},
                     {u"kind"_s, kind},
                     {u"model"_s, name},
                     {u"created_at"_s, createdAt.toUTC().toString(Qt::ISODateWithMs)},
                     {u"active"_s, active},
                     {u"pinned"_s, pinned},
                     {u"training_size"_s, trainingSize}};
    if (accuracy)
        json.insert(u"accuracy"_s, *accuracy);
    if (rulesAccuracy)
        json.insert(u"rules_accuracy"_s, *rulesAccuracy);
    return json;
}

LearnedModelStore::LearnedModelStore(const Database &database)
    : m_database(database)
{}

LearnedModelStore::Summary LearnedModelStore::summarize(const LearnedModel &model)
{
    Summary summary;
    summary.id = model.id;
    summary.kind = model.kind;
    summary.name = model.kind + u'-' + model.version;
    summary.createdAt = model.createdAt;
    summary.active = model.active;
    summary.pinned = model.pinned;
    QString ignored;
    if (model.kind == LearnedModel::kLinear) {
        if (const auto info = LinearModelInfo::fromJson(metadataObject(model), &ignored)) {
            summary.trainingSize = info->trainingSize;
            summary.accuracy = info->accuracy;
            summary.rulesAccuracy = info->rulesAccuracy;
            summary.learningCurve = info->learningCurve;
        }
    } else if (model.kind == LearnedModel::kFastText) {
        if (const auto info = FastTextModelInfo::fromJson(metadataObject(model), &ignored)) {
            summary.trainingSize = info->trainingSize;
            summary.accuracy = info->accuracy;
            summary.rulesAccuracy = info->rulesAccuracy;
        }
    }
    return summary;
}

qint64 LearnedModelStore::activeModelId() const
{
    const std::optional<LearnedModel> active =
        LearnedModelRepository(m_database).activeVersion(kClassifier);
    return active ? active->id : 0;
}

std::pair<qint64, bool> LearnedModelStore::activeModelIdAndPin() const
{
    const std::optional<LearnedModel> active =
        LearnedModelRepository(m_database).activeVersion(kClassifier);
    return active ? std::pair(active->id, active->pinned) : std::pair(qint64(0), false);
}

std::unique_ptr<LocalClassifier> LearnedModelStore::load(QString *error, qint64 *id) const
{
    std::optional<LearnedModel> stored;
    try {
        stored = LearnedModelRepository(m_database).active(kClassifier);
    } catch (const StorageError &storageError) {
        *error = storageError.message();
        return nullptr;
    }
    if (id)
        *id = stored ? stored->id : 0;
    if (!stored) {
        *error = tr("no learned model is stored in %1")
                     .arg(DatabaseLocation::redacted(m_database.config()));
        return nullptr;
    }
    const QString source =
        tr("the stored model %1-%2 (id %3)").arg(stored->kind, stored->version).arg(stored->id);
    if (stored->kind == LearnedModel::kFastText)
        return FastTextClassifier::fromStored(stored->metadata, stored->model, source, error);
    if (stored->kind == LearnedModel::kLinear) {
        if (!LinearModelInfo::fromJson(metadataObject(*stored), error)) {
            *error = tr("%1 cannot be read: %2").arg(source, *error);
            return nullptr;
        }
        std::optional<LinearModel> model = LinearModel::fromBytes(stored->model);
        if (!model) {
            *error = tr("%1 is damaged or was made by a newer program").arg(source);
            return nullptr;
        }
        return std::make_unique<LinearClassifier>(std::move(*model), stored->version);
    }
    *error = tr("%1 is of a kind this program does not know").arg(source);
    return nullptr;
}

std::optional<LearnedModelStore::Summary> LearnedModelStore::active() const
{
    LearnedModelRepository models(m_database);
    const std::optional<LearnedModel> version = models.activeVersion(kClassifier);
    if (!version)
        return std::nullopt;
    const std::optional<LearnedModel> found = models.find(version->id);
    return found ? std::optional(summarize(*found)) : std::nullopt;
}

QList<LearnedModelStore::Summary> LearnedModelStore::list() const
{
    QList<Summary> summaries;
    for (const LearnedModel &model : LearnedModelRepository(m_database).list(kClassifier))
        summaries.append(summarize(model));
    return summaries;
}

qint64 LearnedModelStore::storeLinear(const LinearModel &model, const LinearModelInfo &info,
                                      qint64 expectedActiveId) const
{
    LearnedModel stored;
    stored.kind = LearnedModel::kLinear;
    stored.version = info.version;
    stored.createdAt = info.trainedAt;
    stored.metadata =
        QString::fromUtf8(QJsonDocument(info.toJson()).toJson(QJsonDocument::Compact));
    stored.model = model.toBytes();
    return LearnedModelRepository(m_database).addReplacing(stored, expectedActiveId);
}

bool LearnedModelStore::activate(qint64 id) const
{
    LearnedModelRepository models(m_database);
    const std::optional<LearnedModel> model = models.find(id);
    if (!model || LearnedModel::slotOf(model->kind) != kClassifier)
        return false;
    return models.activate(id);
}

bool LearnedModelStore::setPinned(bool pinned) const
{
    return LearnedModelRepository(m_database).setActivePinned(kClassifier, pinned);
}

qint64 LearnedModelStore::activeRulesCalibrationId() const
{
    const std::optional<LearnedModel> active =
        LearnedModelRepository(m_database).activeVersion(LearnedModel::Slot::RulesCalibration);
    return active ? active->id : 0;
}

std::shared_ptr<const RulesClassifier> LearnedModelStore::loadRules(qint64 *id) const
{
    const std::optional<LearnedModel> stored =
        LearnedModelRepository(m_database).active(LearnedModel::Slot::RulesCalibration);
    *id = stored ? stored->id : 0;
    if (!stored)
        return std::make_shared<RulesClassifier>();
    const std::optional<RulesCalibration> calibrator =
        RulesCalibration::fromJson(QJsonDocument::fromJson(stored->model).object());
    if (!calibrator) {
        // The cautious default is honest; a damaged calibration must not stop classification.
        return std::make_shared<RulesClassifier>();
    }
    return std::make_shared<RulesClassifier>(*calibrator, stored->version);
}
