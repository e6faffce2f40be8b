#include "fasttextclassifier.h"
#include "fasttextmodelstore.h"
#include "fasttexttokenizer.h"
#include "fasttexttrainer.h"
#include "temporarydatabase.h"
#include "trainingfixture.h"

#include <QFile>
#include <QtConcurrent>
#include <QTemporaryDir>
#include <QTest>

#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>
#include <sstream>

using namespace Qt::StringLiterals;

// The error a training returned, or nothing; safe to call on a success.
template<typename Result> static QString errorOf(const Result &result)
{
    const QString *error = std::get_if<QString>(&result);
    return error ? *error : QString();
}

class TestFastTextClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void featuresMatchFastTextsOwnReader_data();
    void featuresMatchFastTextsOwnReader();
    void concurrentPredictionsEqualSequentialOnes();
    void missingOrBrokenModelsAreReported_data();
    void missingOrBrokenModelsAreReported();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<FastTextClassifier> m_classifier;
    fasttext::FastText m_reference;
};

void TestFastTextClassifier::initTestCase()
{
    QVERIFY(m_dir.isValid());
    TemporaryDatabase temporary;
    const FastTextModelStore store(temporary.database());
    const auto result = FastTextTrainer().trainAndKeep(TrainingFixture::examples(), store);
    QVERIFY2(std::holds_alternative<FastTextTrainer::Report>(result), qPrintable(errorOf(result)));
    QString error;
    m_classifier = store.load(&error);
    QVERIFY2(m_classifier, qPrintable(error));
    const QString modelPath = m_dir.filePath(u"model.bin"_s);
    QVERIFY2(m_classifier->saveModelFile(modelPath, &error), qPrintable(error));
    m_reference.loadModel(QFile::encodeName(modelPath).toStdString());
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
