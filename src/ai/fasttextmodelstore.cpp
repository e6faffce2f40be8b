#include "fasttextmodelstore.h"

#include "database.h"
#include "databaselocation.h"
#include "fasttextclassifier.h"
#include "learnedmodelrepository.h"
#include "storageerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FastTextModelStore", text);
}

QString modelSource(const LearnedModel &model)
{
    return tr("the stored model %1 (id %2)").arg(model.version).arg(model.id);
}

// The row for a model: its metadata names no file, the bytes are beside it in the table.
LearnedModel storedModel(FastTextModelInfo info, QByteArray bytes)
{
    info.modelFile.clear();
    LearnedModel stored;
    stored.kind = FastTextModelStore::kKind;
    stored.version = info.version;
    stored.metadata =
        QString::fromUtf8(QJsonDocument(info.toJson()).toJson(QJsonDocument::Compact));
    stored.model = std::move(bytes);
    return stored;
}

} // namespace

FastTextModelStore::FastTextModelStore(const Database &database)
    : m_database(database)
{}

QString FastTextModelStore::location() const
{
    return DatabaseLocation::redacted(m_database.config());
}

bool FastTextModelStore::exists() const
{
    return activeModelId() != 0;
}

qint64 FastTextModelStore::activeModelId() const
{
    const std::optional<LearnedModel> active =
        LearnedModelRepository(m_database).activeVersion(LearnedModel::Slot::Classifier);
    return active ? active->id : 0;
}

std::unique_ptr<FastTextClassifier> FastTextModelStore::load(QString *error, qint64 *id) const
{
    std::optional<LearnedModel> stored;
    try {
        stored = LearnedModelRepository(m_database).active(LearnedModel::Slot::Classifier);
    } catch (const StorageError &storageError) {
        *error = storageError.message();
        return nullptr;
    }
    if (id)
        *id = stored ? stored->id : 0;
    if (!stored) {
        *error = tr("no learned model is stored in %1").arg(location());
        return nullptr;
    }
    if (stored->kind != kKind) {
        *error = tr("the active learned model in %1 is not a fastText model").arg(location());
        return nullptr;
    }
    return FastTextClassifier::fromStored(stored->metadata, stored->model, modelSource(*stored),
                                          error);
}

bool FastTextModelStore::save(FastTextClassifier *classifier, QString *error) const
{
    QByteArray bytes = classifier->modelFileBytes(error);
    if (bytes.isNull())
        return false;
    const LearnedModel stored = storedModel(classifier->info(), std::move(bytes));
    try {
        LearnedModelRepository(m_database).add(stored);
    } catch (const StorageError &storageError) {
        *error = storageError.message();
        return false;
    }
    FastTextModelInfo info = classifier->info();
    info.modelFile.clear();
    classifier->setInfo(info);
    return true;
}

QString FastTextModelStore::importVersion03Files() const
{
    const DatabaseConfig &config = m_database.config();
    // Only a SQLite file ever had model files beside it.
    if (config.driver != QLatin1String("QSQLITE"))
        return {};
    const QString metadataPath =
        QFileInfo(config.databaseName).absoluteFilePath() + u".fasttext.json"_s;
    if (!QFileInfo::exists(metadataPath))
        return {};
    try {
        LearnedModelRepository models(m_database);
        // Checked before reading the files: once imported, every later start stops here.
        if (!models.list(LearnedModel::Slot::Classifier).isEmpty())
            return {};
        QString error;
        const std::unique_ptr<FastTextClassifier> classifier =
            FastTextClassifier::load(metadataPath, &error);
        if (!classifier)
            return tr("The learned model in %1 was not imported: %2").arg(metadataPath, error);
        QFile modelFile(
            QFileInfo(metadataPath).absoluteDir().filePath(classifier->info().modelFile));
        if (!modelFile.open(QIODevice::ReadOnly)) {
            return tr("The learned model in %1 was not imported: %2")
                .arg(modelFile.fileName(), modelFile.errorString());
        }
        // The bytes as trained, not as this fastText would save them again.
        if (models.addIfNoneStored(storedModel(classifier->info(), modelFile.readAll())) == 0)
            return {};
        return tr("Imported the learned model %1 from %2 into the database; the files are no "
                  "longer used.")
            .arg(classifier->modelName(), metadataPath);
    } catch (const StorageError &storageError) {
        return tr("The learned model in %1 was not imported: %2")
            .arg(metadataPath, storageError.message());
    }
}
