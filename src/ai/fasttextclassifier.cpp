#include "fasttextclassifier.h"

#include "fasttexttokenizer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <fasttext/args.h>
#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>
#include <string_view>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FastTextClassifier", text);
}

const std::string kLabelPrefix = "__label__";

// fastText's Dictionary::hash (FNV-1a over the bytes, each byte sign-extended), on a view so
// tokens need not be copied to be hashed.
uint32_t fastTextHash(std::string_view word)
{
    uint32_t h = 2166136261u;
    for (const char c : word) {
        h = h ^ uint32_t(int8_t(c));
        h = h * 16777619u;
    }
    return h;
}

} // namespace

FastTextClassifier::FastTextClassifier(std::shared_ptr<fasttext::FastText> model,
                                       FastTextModelInfo info)
    : m_model(std::move(model))
    , m_info(std::move(info))
{
    const std::shared_ptr<const fasttext::Dictionary> dictionary = m_model->getDictionary();
    m_endOfLineId = dictionary->getId(fasttext::Dictionary::EOS);
    m_endOfLineHash = fastTextHash(fasttext::Dictionary::EOS);
    for (int32_t label = 0; label < dictionary->nlabels(); ++label) {
        const std::string name = dictionary->getLabel(label);
        const std::optional<Category> category = categoryFromName(
            QString::fromStdString(name.substr(std::min(name.size(), kLabelPrefix.size()))));
        m_labelCategories.push_back(category ? int(*category) : -1);
    }
}

FastTextClassifier::~FastTextClassifier() = default;

std::optional<FastTextModelInfo>
FastTextClassifier::parseInfo(const QByteArray &json, const QString &source, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = tr("%1 is not model metadata: %2").arg(source, parseError.errorString());
        return std::nullopt;
    }
    QString infoError;
    std::optional<FastTextModelInfo> info =
        FastTextModelInfo::fromJson(document.object(), &infoError);
    if (!info) {
        *error = tr("%1: %2").arg(source, infoError);
        return std::nullopt;
    }
    if (info->tokenizerVersion != FastTextTokenizer::kVersion) {
        *error =
            tr("%1 was trained with another version of the program; train it again").arg(source);
        return std::nullopt;
    }
    return info;
}

std::unique_ptr<FastTextClassifier>
FastTextClassifier::fromModelFile(const QString &modelPath, FastTextModelInfo info, QString *error)
{
    auto model = std::make_shared<fasttext::FastText>();
    try {
        model->loadModel(QFile::encodeName(modelPath).toStdString());
    } catch (const std::exception &exception) {
        *error = tr("cannot load the model %1: %2")
                     .arg(modelPath, QString::fromLocal8Bit(exception.what()));
        return nullptr;
    }
    return fromModel(std::move(model), std::move(info), error);
}

std::unique_ptr<FastTextClassifier> FastTextClassifier::load(const QString &metadataPath,
                                                             QString *error)
{
    QFile file(metadataPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read %1: %2").arg(metadataPath, file.errorString());
        return nullptr;
    }
    std::optional<FastTextModelInfo> info = parseInfo(file.readAll(), metadataPath, error);
    if (!info)
        return nullptr;
    if (info->modelFile.isEmpty()) {
        *error = tr("%1 names no model file").arg(metadataPath);
        return nullptr;
    }
    const QString modelPath = QFileInfo(metadataPath).absoluteDir().filePath(info->modelFile);
    return fromModelFile(modelPath, std::move(*info), error);
}

std::unique_ptr<FastTextClassifier> FastTextClassifier::fromStored(const QString &metadata,
                                                                   const QByteArray &model,
                                                                   const QString &source,
                                                                   QString *error)
{
    std::optional<FastTextModelInfo> info = parseInfo(metadata.toUtf8(), source, error);
    if (!info)
        return nullptr;
    // fastText 0.9.2 checks a model's header only when it loads from a path (checkModel() is
    // private), and its loadModel(std::istream &) reads the format version that check would
    // have set, uninitialised otherwise. A private temporary copy keeps fastText's own checks.
    QTemporaryFile file;
    if (!file.open() || file.write(model) != model.size() || !file.flush()) {
        *error =
            tr("cannot write a temporary copy of the model %1: %2").arg(source, file.errorString());
        return nullptr;
    }
    return fromModelFile(file.fileName(), std::move(*info), error);
}

std::unique_ptr<FastTextClassifier>
FastTextClassifier::fromModel(std::shared_ptr<fasttext::FastText> model, FastTextModelInfo info,
                              QString *error)
{
    if (model->getArgs().model != fasttext::model_name::sup) {
        *error = tr("the model file is not a classifier");
        return nullptr;
    }
    std::unique_ptr<FastTextClassifier> classifier(
        new FastTextClassifier(std::move(model), std::move(info)));
    const bool labelsKnown =
        !classifier->m_labelCategories.empty() &&
        std::find(classifier->m_labelCategories.cbegin(), classifier->m_labelCategories.cend(),
                  -1) == classifier->m_labelCategories.cend();
    if (!labelsKnown) {
        *error = tr("the model's labels are not technical, billing and general");
        return nullptr;
    }
    return classifier;
}

// Mirrors Dictionary::getLine() for one line of these tokens: each known word's id (with its
// character n-grams when the model has them), the end-of-line word, then the hashed word
// n-grams. Reimplemented because getLine() reads a std::istream one character at a time,
// which cost more than the rest of the prediction together. A test compares the two.
void FastTextClassifier::appendFeatures(const std::string &tokens, std::vector<int32_t> *ids) const
{
    const fasttext::Dictionary &dictionary = *m_model->getDictionary();
    const fasttext::Args &args = m_model->getArgs();
    // fastText keeps hashes as int32_t and widens them to 64 bits when combining: kept as is
    // so the n-gram buckets match the ones training used.
    std::vector<int32_t> hashes;
    hashes.reserve(tokens.size() / 4 + 2);
    std::string word;
    std::size_t start = 0;
    const auto addWord = [&](const std::string &token, uint32_t h) {
        const int32_t id = dictionary.getId(token, h);
        if (id >= 0) {
            const std::vector<int32_t> &subwords = dictionary.getSubwords(id);
            if (args.maxn <= 0)
                ids->push_back(id);
            else
                ids->insert(ids->end(), subwords.cbegin(), subwords.cend());
        } else if (args.maxn > 0) {
            const std::vector<int32_t> subwords = dictionary.getSubwords(token);
            ids->insert(ids->end(), subwords.cbegin(), subwords.cend());
        }
        hashes.push_back(int32_t(h));
    };
    while (start < tokens.size()) {
        std::size_t end = tokens.find(' ', start);
        if (end == std::string::npos)
            end = tokens.size();
        word.assign(tokens, start, end - start);
        addWord(word, fastTextHash(word));
        start = end + 1;
    }
    addWord(fasttext::Dictionary::EOS, m_endOfLineHash);

    const int64_t words = dictionary.nwords();
    const int n = args.wordNgrams;
    const uint64_t buckets = uint64_t(args.bucket);
    if (buckets == 0)
        return;
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        uint64_t h = uint64_t(int64_t(hashes[i]));
        for (std::size_t j = i + 1; j < hashes.size() && j < i + std::size_t(n); ++j) {
            h = h * 116049371 + uint64_t(int64_t(hashes[j]));
            ids->push_back(int32_t(words + int64_t(h % buckets)));
        }
    }
}

ConfidenceCalibrator::Probabilities FastTextClassifier::probabilities(QStringView text) const
{
    // One buffer per thread: a prediction then allocates nothing for its tokens or ids.
    thread_local std::string tokens;
    thread_local std::vector<int32_t> ids;
    FastTextTokenizer::tokenize(text, &tokens);
    ids.clear();
    appendFeatures(tokens, &ids);

    fasttext::Predictions predictions;
    m_model->predict(int32_t(m_labelCategories.size()), ids, predictions, 0.0f);
    ConfidenceCalibrator::Probabilities result{};
    for (const auto &[logProbability, label] : predictions)
        result[std::size_t(m_labelCategories[std::size_t(label)])] =
            std::exp(double(logProbability));
    return result;
}

Prediction FastTextClassifier::predict(QStringView text) const
{
    const ConfidenceCalibrator::Probabilities p = probabilities(text);
    Prediction prediction;
    prediction.category = ConfidenceCalibrator::topCategory(p);
    prediction.confidence = m_info.calibrator.confidence(p);
    // The dataset's priorities are as noisy as its queues; the rules' urgency cues ("outage",
    // "as soon as possible", "not urgent") are explainable and cost a few microseconds.
    prediction.priority = m_rules.predict(text).priority;
    return prediction;
}

QString FastTextClassifier::modelName() const
{
    return m_info.modelName();
}

bool FastTextClassifier::saveModelFile(const QString &path, QString *error) const
{
    try {
        m_model->saveModel(QFile::encodeName(path).toStdString());
    } catch (const std::exception &exception) {
        *error = tr("cannot write %1: %2").arg(path, QString::fromLocal8Bit(exception.what()));
        return false;
    }
    return true;
}
