#pragma once

#include <QString>

#include <memory>

class FastTextClassifier;

// Where the learned model lives: beside the database, as "<database>.fasttext.json" naming a
// "<database>.fasttext-<version>.bin". The metadata file is the commit point: it is replaced
// atomically after the model file is complete, so a reader sees the old model or the new one,
// never half of either.
class FastTextModelStore final
{
public:
    explicit FastTextModelStore(const QString &databasePath);
    // A store at an explicit metadata path (evaluate --model).
    static FastTextModelStore atMetadataPath(const QString &metadataPath);

    QString metadataPath() const { return m_metadataPath; }
    bool exists() const;

    // The current model, or null with *error set.
    std::unique_ptr<FastTextClassifier> load(QString *error) const;
    // Writes the model file and its metadata, then removes the model file it replaced.
    // Returns false with *error set; the previous model is then still in place.
    bool save(FastTextClassifier *classifier, QString *error) const;

private:
    FastTextModelStore() = default;
    QString modelFileName(const QString &version) const;

    QString m_metadataPath;
};
