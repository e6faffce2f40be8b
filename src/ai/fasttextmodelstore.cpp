#include "fasttextmodelstore.h"

#include "fasttextclassifier.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FastTextModelStore", text);
}

// The model file a metadata file names, or an empty string.
QString namedModelFile(const QString &metadataPath)
{
    QFile file(metadataPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    const QString name = json.value(u"model_file"_s).toString();
    return name.contains(u'/') || name.startsWith(u'.') ? QString() : name;
}

} // namespace

FastTextModelStore::FastTextModelStore(const QString &databasePath)
    : m_metadataPath(QFileInfo(databasePath).absoluteFilePath() + u".fasttext.json"_s)
{}

FastTextModelStore FastTextModelStore::atMetadataPath(const QString &metadataPath)
{
    FastTextModelStore store;
    store.m_metadataPath = QFileInfo(metadataPath).absoluteFilePath();
    return store;
}

bool FastTextModelStore::exists() const
{
    return QFileInfo::exists(m_metadataPath);
}

std::unique_ptr<FastTextClassifier> FastTextModelStore::load(QString *error) const
{
    return FastTextClassifier::load(m_metadataPath, error);
}

QString FastTextModelStore::modelFileName(const QString &version) const
{
    QString base = QFileInfo(m_metadataPath).fileName();
    if (base.endsWith(u".json"_s))
        base.chop(5);
    return base + u'-' + version + u".bin"_s;
}

bool FastTextModelStore::save(FastTextClassifier *classifier, QString *error) const
{
    const QDir folder = QFileInfo(m_metadataPath).absoluteDir();
    const QString previousModel = namedModelFile(m_metadataPath);

    FastTextModelInfo info = classifier->info();
    info.modelFile = modelFileName(info.version);
    const QString modelPath = folder.filePath(info.modelFile);
    // fastText writes through its own stream, so it writes a temporary name that is renamed
    // once complete; rename() within a folder replaces atomically.
    const QString temporaryPath = modelPath + u".tmp"_s;
    if (!classifier->saveModelFile(temporaryPath, error)) {
        QFile::remove(temporaryPath);
        return false;
    }
    if (std::rename(QFile::encodeName(temporaryPath).constData(),
                    QFile::encodeName(modelPath).constData()) != 0) {
        *error = tr("cannot rename %1 to %2").arg(temporaryPath, modelPath);
        QFile::remove(temporaryPath);
        return false;
    }

    QSaveFile metadata(m_metadataPath);
    if (!metadata.open(QIODevice::WriteOnly)) {
        *error = tr("cannot write %1: %2").arg(m_metadataPath, metadata.errorString());
        if (info.modelFile != previousModel)
            QFile::remove(modelPath);
        return false;
    }
    metadata.write(QJsonDocument(info.toJson()).toJson(QJsonDocument::Indented));
    if (!metadata.commit()) {
        *error = tr("cannot write %1: %2").arg(m_metadataPath, metadata.errorString());
        if (info.modelFile != previousModel)
            QFile::remove(modelPath);
        return false;
    }
    classifier->setInfo(info);
    if (!previousModel.isEmpty() && previousModel != info.modelFile)
        QFile::remove(folder.filePath(previousModel));
    return true;
}
