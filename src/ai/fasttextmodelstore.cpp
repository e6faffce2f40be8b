#include "fasttextmodelstore.h"

#include "database.h"
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

// The row for a model: its metadata names no file, the bytes are beside it in the table.
LearnedModel storedModel(FastTextModelInfo info, QByteArray bytes)
{
    info.modelFile.clear();
    LearnedModel stored;
    stored.kind = LearnedModel::kFastText;
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
