#include "fasttextclassifier.h"
#include "fasttexttrainer.h"
#include "trainingfixture.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The error a training returned, or nothing; safe to call on a success.
template<typename Result> static QString errorOf(const Result &result)
{
    const QString *error = std::get_if<QString>(&result);
    return error ? *error : QString();
}

class TestFastTextTrainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void learnsTheFixture();
    void splitIsStableAndAboutTheRequestedShare();
    void crossValidationFoldsPartitionTheTrainingShare();
    void trainingIsDeterministic();
    void tooFewExamplesSaySoAndHowMany();
    void agentLabelWinsOverDuplicateQueueLabel();
    void conflictingQueueLabelsDoNotDependOnOrder();

private:
    static FastTextTrainer::Options options();
    QList<TrainingExample> m_examples;
};

FastTextTrainer::Options TestFastTextTrainer::options()
{
    FastTextTrainer::Options options;
    options.now = QDateTime(QDate(2026, 11, 22), QTime(4, 31), Qt::UTC);
    return options;
}

void TestFastTextTrainer::initTestCase()
{
    m_examples = TrainingFixture::examples();
    QVERIFY(m_examples.size() >= 150);
}

void TestFastTextTrainer::learnsTheFixture()
{
    auto result = FastTextTrainer(options()).train(m_examples);
    QVERIFY2(std::holds_alternative<FastTextTrainer::TrainedModel>(result),
             qPrintable(errorOf(result)));
    const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
    const FastTextModelInfo &info = model.classifier->info();
    QCOMPARE(info.trainingSize + info.heldOutSize, qint64(m_examples.size()));
    QCOMPARE(info.heldOutSize, qint64(model.heldOut.size()));
    // Clearly separable tickets: anything less than nearly perfect is a broken pipeline.
    QVERIFY2(info.accuracy >= 0.9, qPrintable(QString::number(info.accuracy)));
    QVERIFY(info.macroF1 >= 0.85);
    QCOMPARE(info.version, u"20261122-043100"_s);
    QCOMPARE(model.classifier->modelName(), u"fasttext-20261122-043100"_s);

    const Prediction billing =
        model.classifier->predict(u"I was charged twice, please refund my invoice"_s);
    QCOMPARE(billing.category, Category::Billing);
    QVERIFY(billing.confidence > 0.0 && billing.confidence <= 1.0);
    const Prediction technical =
        model.classifier->predict(u"The VPN server is down and crashes with an error"_s);
    QCOMPARE(technical.category, Category::Technical);
    // Priority comes from the rules' urgency cues.
    QCOMPARE(technical.priority, Priority::High);
}

void TestFastTextTrainer::splitIsStableAndAboutTheRequestedShare()
{
    qsizetype heldOut = 0;
    for (const TrainingExample &example : std::as_const(m_examples)) {
        const bool first = FastTextTrainer::isHeldOut(example.text, 20);
        QCOMPARE(FastTextTrainer::isHeldOut(example.text, 20), first);
        heldOut += first ? 1 : 0;
    }
    QVERIFY2(heldOut > m_examples.size() / 10 && heldOut < m_examples.size() * 3 / 10,
             qPrintable(QString::number(heldOut)));
}

void TestFastTextTrainer::crossValidationFoldsPartitionTheTrainingShare()
{
    // bench_fasttext's folds: every ticket outside the usual held-out share is held out by
    // exactly one fold, and none of the usual held-out tickets ever is.
    for (const TrainingExample &example : std::as_const(m_examples)) {
        int folds = 0;
        for (int from = 20; from < 100; from += 16)
            folds += FastTextTrainer::isHeldOut(example.text, 16, from) ? 1 : 0;
        QCOMPARE(folds, FastTextTrainer::isHeldOut(example.text, 20) ? 0 : 1);
    }
    FastTextTrainer::Options foldOptions = options();
    foldOptions.heldOutFrom = 36;
    foldOptions.heldOutPercent = 16;
    auto result = FastTextTrainer(foldOptions).train(m_examples);
    QVERIFY2(std::holds_alternative<FastTextTrainer::TrainedModel>(result),
             qPrintable(errorOf(result)));
    for (const TrainingExample &example : std::get<FastTextTrainer::TrainedModel>(result).heldOut)
        QVERIFY(FastTextTrainer::isHeldOut(example.text, 16, 36));
}

static QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

void TestFastTextTrainer::trainingIsDeterministic()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The examples in another order must make the same model: order comes from the texts.
    QList<TrainingExample> reversed(m_examples.crbegin(), m_examples.crend());
    QByteArray hashes[2];
    std::vector<Prediction> predictions[2];
    const QList<TrainingExample> *inputs[2] = {&m_examples, &reversed};
    for (int run = 0; run < 2; ++run) {
        auto result = FastTextTrainer(options()).train(*inputs[run]);
        QVERIFY(std::holds_alternative<FastTextTrainer::TrainedModel>(result));
        const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
        const QString path = dir.filePath(u"model-%1.bin"_s.arg(run));
        QString error;
        QVERIFY2(model.classifier->saveModelFile(path, &error), qPrintable(error));
        hashes[run] = fileHash(path);
        for (const TrainingExample &example : model.heldOut)
            predictions[run].push_back(model.classifier->predict(example.text));
    }
    QVERIFY(!hashes[0].isEmpty());
    QCOMPARE(hashes[0], hashes[1]);
    QCOMPARE(predictions[0].size(), predictions[1].size());
    for (std::size_t i = 0; i < predictions[0].size(); ++i) {
        QCOMPARE(predictions[0][i].category, predictions[1][i].category);
        QCOMPARE(predictions[0][i].confidence, predictions[1][i].confidence);
    }
}

void TestFastTextTrainer::tooFewExamplesSaySoAndHowMany()
{
    const QList<TrainingExample> few = m_examples.first(40);
    const auto result = FastTextTrainer(options()).train(few);
    QVERIFY(std::holds_alternative<QString>(result));
    const QString message = std::get<QString>(result);
    QVERIFY2(message.contains(u"40"_s) &&
                 message.contains(QString::number(FastTextTrainer::kMinimumExamples)),
             qPrintable(message));
}

void TestFastTextTrainer::agentLabelWinsOverDuplicateQueueLabel()
{
    QList<TrainingExample> examples = m_examples;
    // A duplicate that an agent relabelled: the agent's label is the one trained on, and the
    // duplicate is counted, not trained twice.
    TrainingExample corrected = examples.constFirst();
    corrected.category =
        corrected.category == Category::Billing ? Category::General : Category::Billing;
    corrected.fromAgent = true;
    examples.append(corrected);
    auto result = FastTextTrainer(options()).train(examples);
    QVERIFY(std::holds_alternative<FastTextTrainer::TrainedModel>(result));
    const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
    QCOMPARE(model.duplicates, 1);
    const FastTextModelInfo &info = model.classifier->info();
    QCOMPARE(info.trainingSize + info.heldOutSize, qint64(m_examples.size()));
    const auto heldOut =
        std::find_if(model.heldOut.cbegin(), model.heldOut.cend(),
                     [&](const TrainingExample &e) { return e.text == corrected.text; });
    if (heldOut != model.heldOut.cend())
        QCOMPARE(heldOut->category, corrected.category);
}

void TestFastTextTrainer::conflictingQueueLabelsDoNotDependOnOrder()
{
    // Two queue-labelled copies of a text that disagree: neither label is trained on, in either
    // order. A third copy agreeing with one of them makes that label the majority.
    const auto other = [](Category category) {
        return category == Category::Billing ? Category::General : Category::Billing;
    };
    QList<TrainingExample> examples = m_examples;
    TrainingExample relabelled = examples.constFirst();
    relabelled.category = other(relabelled.category);
    examples.append(relabelled);
    QList<TrainingExample> reversed(examples.crbegin(), examples.crend());
    for (const QList<TrainingExample> *input : {&examples, &reversed}) {
        auto result = FastTextTrainer(options()).train(*input);
        QVERIFY2(std::holds_alternative<FastTextTrainer::TrainedModel>(result),
                 qPrintable(errorOf(result)));
        const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
        QCOMPARE(model.conflicts, 1);
        QCOMPARE(model.duplicates, 1);
        const FastTextModelInfo &info = model.classifier->info();
        QCOMPARE(info.trainingSize + info.heldOutSize, qint64(m_examples.size()) - 1);
        QVERIFY(std::none_of(model.heldOut.cbegin(), model.heldOut.cend(),
                             [&](const TrainingExample &e) { return e.text == relabelled.text; }));
    }

    examples.append(relabelled);
    auto result = FastTextTrainer(options()).train(examples);
    QVERIFY(std::holds_alternative<FastTextTrainer::TrainedModel>(result));
    const auto &model = std::get<FastTextTrainer::TrainedModel>(result);
    QCOMPARE(model.conflicts, 0);
    QCOMPARE(model.duplicates, 2);
    QCOMPARE(model.classifier->info().trainingSize + model.classifier->info().heldOutSize,
             qint64(m_examples.size()));
    const auto heldOut =
        std::find_if(model.heldOut.cbegin(), model.heldOut.cend(),
                     [&](const TrainingExample &e) { return e.text == relabelled.text; });
    if (heldOut != model.heldOut.cend())
        QCOMPARE(heldOut->category, relabelled.category);
}

QTEST_GUILESS_MAIN(TestFastTextTrainer)
#include "tst_fasttexttrainer.moc"
