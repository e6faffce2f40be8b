#include "linearmodeltrainer.h"
#include "trainingfixture.h"

#include <QtEndian>
#include <QTest>

using namespace Qt::StringLiterals;

// The linear model's recipe on the project's own training fixture (180 short synthetic tickets).
class TestLinearModelTrainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void learnsTheFixture();
    void everyTicketIsPredictedOutOfItsFold();
    void choosesTheCostByOutOfFoldAccuracy();
    void choosesTheCostOnASampleOfManyTickets();
    void isDeterministicAndSurvivesItsBytes();
    void calibratedConfidenceMatchesHowOftenItIsRight();
    void aModelStoredBeforeStemmingStillReads();

private:
    TrainingSet m_set;
    LinearModelTrainer::Result m_result;
};

void TestLinearModelTrainer::initTestCase()
{
    m_set = TrainingSet(TrainingFixture::examples());
    QVERIFY(m_set.size() >= 150);
    m_result = LinearModelTrainer().train(m_set);
}

void TestLinearModelTrainer::learnsTheFixture()
{
    QVERIFY2(m_result.crossValidated.accuracy() >= 0.8,
             qPrintable(QString::number(m_result.crossValidated.accuracy())));
    QCOMPARE(m_result.model.classify(u"I was charged twice, please refund the invoice"_s).first,
             Category::Billing);
    QCOMPARE(m_result.model.classify(u"The app crashes with an error after the update"_s).first,
             Category::Technical);
}

void TestLinearModelTrainer::everyTicketIsPredictedOutOfItsFold()
{
    QCOMPARE(qsizetype(m_result.outOfFold.size()), m_set.size());
    QCOMPARE(m_result.crossValidated.count(), m_set.size());
    for (const double confidence : m_result.outOfFoldConfidence)
        QVERIFY(confidence >= 0.0 && confidence <= 1.0);

    // Labels that have nothing to do with the text: a model can learn its own tickets' labels by
    // heart, but out of fold, where each ticket was never seen, it is no better than chance.
    QList<TrainingExample> noise = TrainingFixture::examples();
    for (qsizetype i = 0; i < noise.size(); ++i)
        noise[i].category = kAllCategories[std::size_t(TrainingSet::keyOf(noise[i].text) / 7 % 3)];
    const TrainingSet set(noise);
    const LinearModelTrainer::Result result = LinearModelTrainer().train(set);
    qint64 learnt = 0;
    for (const TrainingSet::Entry &entry : set.entries())
        learnt += result.model.classify(entry.example.text).first == entry.example.category;
    const double byHeart = double(learnt) / double(set.size());
    const double outOfFold = result.crossValidated.accuracy();
    QVERIFY2(outOfFold < 0.5 && byHeart > outOfFold + 0.15,
             qPrintable(u"out of fold %1, own tickets %2"_s.arg(outOfFold).arg(byHeart)));
}

void TestLinearModelTrainer::choosesTheCostByOutOfFoldAccuracy()
{
    const LinearModelTrainer::Options options;
    QCOMPARE(m_result.costAccuracy.size(), options.costs.size());
    const auto best = std::max_element(m_result.costAccuracy.begin(), m_result.costAccuracy.end());
    QCOMPARE(m_result.cost, options.costs[std::size_t(best - m_result.costAccuracy.begin())]);
    QCOMPARE(*best, m_result.crossValidated.accuracy());
}

void TestLinearModelTrainer::choosesTheCostOnASampleOfManyTickets()
{
    QCOMPARE(m_result.costSearchTickets, m_set.size());
    LinearModelTrainer::Options options;
    options.costSearchTickets = 100;
    const LinearModelTrainer::Result sampled = LinearModelTrainer(options).train(m_set);
    QCOMPARE(sampled.costSearchTickets, 100);
    QCOMPARE(sampled.costAccuracy.size(), options.costs.size());
    // The chosen cost is still cross-validated on every ticket.
    QCOMPARE(sampled.crossValidated.count(), m_set.size());
    QCOMPARE(qsizetype(sampled.outOfFold.size()), m_set.size());
    const auto best = std::max_element(sampled.costAccuracy.begin(), sampled.costAccuracy.end());
    QCOMPARE(sampled.cost, options.costs[std::size_t(best - sampled.costAccuracy.begin())]);
}

void TestLinearModelTrainer::isDeterministicAndSurvivesItsBytes()
{
    LinearModelTrainer::Options oneThread;
    oneThread.threads = 1;
    const LinearModelTrainer::Result again = LinearModelTrainer(oneThread).train(m_set);
    QCOMPARE(again.model.toBytes(), m_result.model.toBytes());
    QCOMPARE(again.outOfFold, m_result.outOfFold);

    const std::optional<LinearModel> read = LinearModel::fromBytes(m_result.model.toBytes());
    QVERIFY(read);
    for (const TrainingSet::Entry &entry : m_set.entries()) {
        const auto [category, confidence] = m_result.model.classify(entry.example.text);
        const auto [readCategory, readConfidence] = read->classify(entry.example.text);
        QCOMPARE(readCategory, category);
        QVERIFY(std::abs(readConfidence - confidence) < 1e-5);
    }
    QByteArray damaged = m_result.model.toBytes();
    QVERIFY(!LinearModel::fromBytes(damaged.left(damaged.size() - 1)));
    damaged[0] = 'X';
    QVERIFY(!LinearModel::fromBytes(damaged));
    QVERIFY(!LinearModel::fromBytes(QByteArray()));
}

void TestLinearModelTrainer::calibratedConfidenceMatchesHowOftenItIsRight()
{
    // On tickets the folds' models never saw, with calibrations fitted on other folds.
    QVERIFY2(m_result.crossValidated.expectedCalibrationError() <= 0.15,
             qPrintable(QString::number(m_result.crossValidated.expectedCalibrationError())));
}

// Format 1 had no calibration offsets and ngrams version 1 read unstemmed words: such a model,
// trained before this release, must load and answer as it did rather than be thrown away.
void TestLinearModelTrainer::aModelStoredBeforeStemmingStillReads()
{
    const LinearModel &current = m_result.model;
    const LinearModel unstemmed(current.vectorizer(), current.weights(),
                                ConfidenceCalibrator(current.calibrator().temperature(),
                                                     current.calibrator().slope(),
                                                     current.calibrator().intercept()),
                                1);
    QByteArray bytes = unstemmed.toBytes();
    // Header: magic, format, tokenizer version, ngrams version, each a big-endian 32-bit word.
    QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 4), 2u);
    QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 12), 1u);
    bytes.chop(3 * 4); // format 1 ended at the intercept
    qToBigEndian<quint32>(1, bytes.data() + 4);
    const std::optional<LinearModel> read = LinearModel::fromBytes(bytes);
    QVERIFY(read);
    QCOMPARE(read->ngramsVersion(), 1);
    QCOMPARE(read->calibrator().offsets(), ConfidenceCalibrator::Offsets{});
    for (const TrainingSet::Entry &entry : m_set.entries()) {
        const LinearModel::Scores stored = read->scores(entry.example.text);
        const LinearModel::Scores inMemory = unstemmed.scores(entry.example.text);
        for (std::size_t c = 0; c < stored.size(); ++c)
            QVERIFY(std::abs(stored[c] - inMemory[c]) < 1e-5); // biases are stored as floats
        std::vector<quint64> keys;
        TextNgrams::keys(entry.example.text, &keys, 1);
        TfidfVectorizer::Vector vector;
        read->vectorizer().transform(keys, &vector);
        QCOMPARE(read->scores(entry.example.text), read->scores(vector));
    }
}

QTEST_GUILESS_MAIN(TestLinearModelTrainer)
#include "tst_linearmodeltrainer.moc"
