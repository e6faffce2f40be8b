#pragma once

#include "confidencecalibrator.h"
#include "fasttextmodelinfo.h"
#include "localclassifier.h"
#include "rulesclassifier.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fasttext {
class FastText;
}

// The learned local model: a fastText classifier trained on this installation's own tickets,
// with calibrated confidence. Priority comes from the built-in rules' urgency cues.
class FastTextClassifier final : public LocalClassifier
{
public:
    ~FastTextClassifier() override;
    Q_DISABLE_COPY_MOVE(FastTextClassifier)

    // Reads the metadata file and the model it names (same folder). Returns null and sets
    // *error when either is missing, unreadable or made by an incompatible program.
    static std::unique_ptr<FastTextClassifier> load(const QString &metadataPath, QString *error);
    // The same from a model kept in the database: its metadata JSON and the model file's bytes.
    // source names it in messages.
    static std::unique_ptr<FastTextClassifier> fromStored(const QString &metadata,
                                                          const QByteArray &model,
                                                          const QString &source, QString *error);
    // Wraps a model trained in this process. Returns null and sets *error if its labels are not
    // category names.
    static std::unique_ptr<FastTextClassifier> fromModel(std::shared_ptr<fasttext::FastText> model,
                                                         FastTextModelInfo info, QString *error);

    // Safe to call from several threads: fastText's prediction path only reads the model and
    // keeps its scratch state on the caller's stack (checked in fastText 0.9.2's sources).
    Prediction predict(QStringView text) const override;
    // Category probabilities before calibration.
    ConfidenceCalibrator::Probabilities probabilities(QStringView text) const;

    QString modelName() const override;
    QString modelVersion() const override { return m_info.version; }
    const FastTextModelInfo &info() const { return m_info; }
    void setCalibrator(const ConfidenceCalibrator &calibrator) { m_info.calibrator = calibrator; }
    void setInfo(const FastTextModelInfo &info) { m_info = info; }

    // Writes the fastText model file. Not safe while another thread changes this object.
    bool saveModelFile(const QString &path, QString *error) const;

    // The word and n-gram ids fastText itself would read for these tokens followed by a line
    // end; public so tests can compare it with fastText's own tokeniser.
    void appendFeatures(const std::string &tokens, std::vector<int32_t> *ids) const;

private:
    FastTextClassifier(std::shared_ptr<fasttext::FastText> model, FastTextModelInfo info);
    static std::optional<FastTextModelInfo> parseInfo(const QByteArray &json, const QString &source,
                                                      QString *error);
    static std::unique_ptr<FastTextClassifier>
    fromModelFile(const QString &modelPath, FastTextModelInfo info, QString *error);

    std::shared_ptr<fasttext::FastText> m_model;
    FastTextModelInfo m_info;
    // fastText label index -> category index.
    std::vector<int> m_labelCategories;
    int m_endOfLineId = -1;
    uint32_t m_endOfLineHash = 0;
    RulesClassifier m_rules;
};
