#include "fasttextclassifier.h"
#include "fasttexttokenizer.h"
#include "fasttexttrainer.h"
#include "learnedmodelrepository.h"
#include "learnedmodelstore.h"
#include "temporarydatabase.h"
#include "trainingfixture.h"

#include <QFile>
#include <QJsonDocument>
#include <QtConcurrent>
#include <QTemporaryDir>
#include <QTest>

#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>
#include <sstream>

using namespace Qt::StringLiterals;

class TestFastTextClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storedModelIsReadBackAsTrained();
    void featuresMatchFastTextsOwnReader_data();
    void featuresMatchFastTextsOwnReader();
    void concurrentPredictionsEqualSequentialOnes();
    void missingOrBrokenModelsAreReported_data();
    void missingOrBrokenModelsAreReported();

private:
    static QDateTime trainedAt() { return QDateTime(QDate(2026, 11, 22), QTime(4, 31), Qt::UTC); }

    QTemporaryDir m_dir;
    std::unique_ptr<TemporaryDatabase> m_temporary;
    TrainingFixture::StoredFastTextModel m_stored;
    // The stored model as the program reads it.
    std::unique_ptr<FastTextClassifier> m_classifier;
    fasttext::FastText m_reference;
};

void TestFastTextClassifier::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_temporary = std::make_unique<TemporaryDatabase>();
    QString error;
    m_stored = TrainingFixture::storeFastTextModel(m_temporary->database(), &error,
                                                   TrainingFixture::examples(), trainedAt());
    QVERIFY2(m_stored.id != 0, qPrintable(error));
    std::unique_ptr<LocalClassifier> loaded =
        LearnedModelStore(m_temporary->database()).load(&error);
    QVERIFY2(loaded, qPrintable(error));
    QVERIFY(dynamic_cast<FastTextClassifier *>(loaded.get()));
    m_classifier.reset(static_cast<FastTextClassifier *>(loaded.release()));
    const QString modelPath = m_dir.filePath(u"model.bin"_s);
    QVERIFY2(m_classifier->saveModelFile(modelPath, &error), qPrintable(error));
    m_reference.loadModel(QFile::encodeName(modelPath).toStdString());
}

// A fastText model stored by v0.5 is still read and used: it classifies every ticket exactly as
// the model in memory did, probabilities and calibrated confidence alike, and its summary comes
// from its metadata.
void TestFastTextClassifier::storedModelIsReadBackAsTrained()
{
    QCOMPARE(m_classifier->modelName(), u"fasttext-20261122-043100"_s);
    QCOMPARE(m_classifier->info().accuracy, m_stored.info.accuracy);
    QVERIFY(m_classifier->info().modelFile.isEmpty());

    const std::optional<LearnedModel> stored =
        LearnedModelRepository(m_temporary->database()).active(LearnedModel::Slot::Classifier);
    QVERIFY(stored);
    QCOMPARE(stored->version, u"20261122-043100"_s);
    const QJsonObject json = QJsonDocument::fromJson(stored->metadata.toUtf8()).object();
    for (const QString &key :
         {u"version"_s, u"trained_at"_s, u"training_size"_s, u"accuracy"_s, u"macro_f1"_s,
          u"expected_calibration_error"_s, u"hyper_parameters"_s, u"calibration"_s})
        QVERIFY2(json.contains(key), qPrintable(key));
    const std::optional<LearnedModelStore::Summary> summary =
        LearnedModelStore(m_temporary->database()).active();
    QVERIFY(summary);
    QCOMPARE(summary->id, m_stored.id);
    QCOMPARE(summary->kind, u"fasttext"_s);
    QCOMPARE(summary->name, m_classifier->modelName());
    QCOMPARE(summary->trainingSize, m_stored.info.trainingSize);
    QCOMPARE(*summary->accuracy, m_stored.info.accuracy);
    QCOMPARE(*summary->rulesAccuracy, m_stored.info.rulesAccuracy);

    FastTextTrainer::Options options;
    options.now = trainedAt();
    auto again = FastTextTrainer(options).train(TrainingFixture::examples());
    QVERIFY(std::holds_alternative<FastTextTrainer::TrainedModel>(again));
    const FastTextClassifier &trained = *std::get<FastTextTrainer::TrainedModel>(again).classifier;
    for (const TrainingExample &example : TrainingFixture::examples()) {
        const Prediction expected = trained.predict(example.text);
        const Prediction actual = m_classifier->predict(example.text);
        QCOMPARE(actual.category, expected.category);
        QCOMPARE(actual.confidence, expected.confidence);
        QCOMPARE(actual.priority, expected.priority);
    }
    QCOMPARE(m_classifier->predict(u"Refund for my last invoice, I was charged twice"_s).category,
             Category::Billing);
}

void TestFastTextClassifier::featuresMatchFastTextsOwnReader_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("known words") << u"Refund for my last invoice, I was charged twice."_s;
    QTest::newRow("unknown words") << u"Zebras quarrel about xylophones"_s;
    QTest::newRow("placeholders and numbers")
        << u"Call <tel_num> about order 4411, the VPN server is down"_s;
    QTest::newRow("non-ASCII") << u"Über die Rechnung: café, naïve, 東京"_s;
    QTest::newRow("long") << u"the VPN client crashes with an error message "_s.repeated(40);
}

// Features are built by hand for speed; they must be exactly what fastText reads from a line.
void TestFastTextClassifier::featuresMatchFastTextsOwnReader()
{
    QFETCH(QString, text);
    const std::string tokens = FastTextTokenizer::tokenize(text);
    std::vector<int32_t> mine;
    m_classifier->appendFeatures(tokens, &mine);

    std::istringstream line(tokens + '\n');
    std::vector<int32_t> theirs;
    std::vector<int32_t> labels;
    m_reference.getDictionary()->getLine(line, theirs, labels);
    QVERIFY(labels.empty());
    QCOMPARE(mine, theirs);

    // And the probabilities agree with fastText's own predictLine.
    std::istringstream again(tokens + '\n');
    std::vector<std::pair<fasttext::real, std::string>> predictions;
    m_reference.predictLine(again, predictions, 3, 0.0f);
    const ConfidenceCalibrator::Probabilities p = m_classifier->probabilities(text);
    for (const auto &[probability, label] : predictions) {
        const auto category = categoryFromName(QString::fromStdString(label.substr(9)));
        QVERIFY(category.has_value());
        QVERIFY(qAbs(p[std::size_t(*category)] - double(probability)) < 1e-5);
    }
}

void TestFastTextClassifier::concurrentPredictionsEqualSequentialOnes()
{
    QList<QString> texts;
    for (const TrainingExample &example : TrainingFixture::examples())
        texts.append(example.text);
    for (int i = 0; i < 3; ++i)
        texts += texts;
    const FastTextClassifier &classifier = *m_classifier;
    const auto predict = [&classifier](const QString &text) {
        return classifier.predict(text);
    };

    QThreadPool pool;
    pool.setMaxThreadCount(4);
    const QList<Prediction> concurrent = QtConcurrent::blockingMapped(&pool, texts, predict);
    QCOMPARE(concurrent.size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const Prediction sequential = classifier.predict(texts.at(i));
        QCOMPARE(concurrent.at(i).category, sequential.category);
        QCOMPARE(concurrent.at(i).confidence, sequential.confidence);
        QCOMPARE(concurrent.at(i).priority, sequential.priority);
    }
}

void TestFastTextClassifier::missingOrBrokenModelsAreReported_data()
{
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << QByteArray() << u"cannot read"_s;
    QTest::newRow("not JSON") << QByteArray("garbage") << u"not model metadata"_s;
    QTest::newRow("newer format") << QByteArray(R"({"format_version": 99})") << u"format"_s;
    QTest::newRow("path in model file")
        << QByteArray(R"({"format_version": 1, "version": "x", "trained_at": )"
                      R"("2026-11-22T04:31:00.000Z", "model_file": "../etc/passwd"})")
        << u"invalid model file"_s;
    QTest::newRow("model file missing")
        << QByteArray(R"({"format_version": 1, "version": "x", "trained_at": )"
                      R"("2026-11-22T04:31:00.000Z", "model_file": "absent.bin", )"
                      R"("tokenizer_version": 1, "calibration": {"method": "temperature+platt", )"
                      R"("temperature": 1.0, "slope": 1.0, "intercept": 0.0}})")
        << u"cannot load the model"_s;
}

void TestFastTextClassifier::missingOrBrokenModelsAreReported()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"model.json"_s);
    if (!metadata.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(metadata);
    }
    QString error;
    QVERIFY(!FastTextClassifier::load(path, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestFastTextClassifier)
#include "tst_fasttextclassifier.moc"
