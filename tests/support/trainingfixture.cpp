#include "trainingfixture.h"

#include "categorymapping.h"
#include "csvreader.h"
#include "datasetcsvformat.h"
#include "fasttextclassifier.h"
#include "fasttexttrainer.h"
#include "learnedmodelrepository.h"
#include "storageerror.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryFile>

QString TrainingFixture::path(const QString &file)
{
    return QStringLiteral(SC_FIXTURES_DIR "/") + file;
}

QList<TrainingExample> TrainingFixture::examples(const QString &fileName)
{
    QFile file(path(fileName));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    CsvReader reader(&file);
    CsvReader::Record record;
    reader.readRecord(&record);
    const DatasetCsvFormat format(record.fields);
    QList<TrainingExample> examples;
    while (reader.readRecord(&record)) {
        const auto row = format.draftFromRow(record.fields);
        if (!row.isValid() || !row.value.dataset)
            continue;
        const auto category = CategoryMapping::categoryForQueue(row.value.dataset->queue);
        if (category)
            examples.append({row.value.text(), *category, false});
    }
    return examples;
}

QString TrainingFixture::writeVersion03Files(const QString &databasePath, QString *error)
{
    auto trained = FastTextTrainer().train(examples());
    if (const QString *message = std::get_if<QString>(&trained)) {
        *error = *message;
        return {};
    }
    FastTextClassifier &classifier = *std::get<FastTextTrainer::TrainedModel>(trained).classifier;
    FastTextModelInfo info = classifier.info();
    info.modelFile = QFileInfo(databasePath).fileName() + QStringLiteral(".fasttext-") +
                     info.version + QStringLiteral(".bin");
    const QString folder = QFileInfo(databasePath).absolutePath();
    if (!classifier.saveModelFile(folder + u'/' + info.modelFile, error))
        return {};
    QFile metadata(databasePath + QStringLiteral(".fasttext.json"));
    if (!metadata.open(QIODevice::WriteOnly)) {
        *error = metadata.errorString();
        return {};
    }
    metadata.write(QJsonDocument(info.toJson()).toJson(QJsonDocument::Indented));
    return info.modelName();
}

TrainingFixture::StoredFastTextModel
TrainingFixture::storeFastTextModel(const Database &database, QString *error,
                                    const QList<TrainingExample> &tickets, const QDateTime &now)
{
    FastTextTrainer::Options options;
    options.now = now;
    auto trained = FastTextTrainer(options).train(tickets);
    if (const QString *message = std::get_if<QString>(&trained)) {
        *error = *message;
        return {};
    }
    const FastTextClassifier &classifier =
        *std::get<FastTextTrainer::TrainedModel>(trained).classifier;
    // fastText writes a model only to a path, through its own stream: read back what it wrote.
    QTemporaryFile file;
    if (!file.open()) {
        *error = file.errorString();
        return {};
    }
    if (!classifier.saveModelFile(file.fileName(), error))
        return {};
    QFile written(file.fileName());
    if (!written.open(QIODevice::ReadOnly)) {
        *error = written.errorString();
        return {};
    }

    // The row as those versions wrote it: metadata naming no file, the bytes beside it.
    StoredFastTextModel stored;
    stored.info = classifier.info();
    stored.info.modelFile.clear();
    LearnedModel model;
    model.kind = LearnedModel::kFastText;
    model.version = stored.info.version;
    model.metadata =
        QString::fromUtf8(QJsonDocument(stored.info.toJson()).toJson(QJsonDocument::Compact));
    model.model = written.readAll();
    try {
        stored.id = LearnedModelRepository(database).add(model);
    } catch (const StorageError &storageError) {
        *error = storageError.message();
        return {};
    }
    if (stored.id == 0)
        *error = QStringLiteral("another model became active at the same moment");
    return stored;
}
