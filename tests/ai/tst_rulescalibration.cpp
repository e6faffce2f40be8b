#include "classificationmetrics.h"
#include "rulescalibration.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestRulesCalibration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsACoinToss();
    void learnsWhichAnswersAreRight();
    void fitIsDeterministic();
    void oneKindOfAnswerGivesItsSmoothedShare();
    void jsonRoundTrip();
    void otherJsonIsRefused_data();
    void otherJsonIsRefused();
};

using Reading = RulesCalibration::Reading;

void TestRulesCalibration::defaultIsACoinToss()
{
    QCOMPARE(RulesCalibration().confidence({Category::Billing, 0.9, {0, 5, 0}}), 0.5);
}

// The shape of the rules on real tickets: billing answers with billing evidence are nearly always
// right; technical answers are right when technical evidence is strong and a coin toss when it
// is weak, at the same lexicon probability. Confidence must follow that, on fresh samples too.
static std::vector<RulesCalibration::Sample> samplesFrom(quint32 seed, int count)
{
    QRandomGenerator random(seed);
    std::vector<RulesCalibration::Sample> samples;
    for (int i = 0; i < count; ++i) {
        Reading reading;
        double rightRate = 0.0;
        if (i % 2 == 0) {
            reading = {Category::Billing, 0.8, {0.0, 2.0 + random.bounded(6.0), 0.0}};
            rightRate = 0.9;
        } else {
            const bool strong = random.bounded(2) == 0;
            reading = {Category::Technical, 0.8, {strong ? 12.0 : 1.0, 0.0, 0.0}};
            rightRate = strong ? 0.75 : 0.45;
        }
        samples.push_back({reading, random.generateDouble() < rightRate});
    }
    return samples;
}

void TestRulesCalibration::learnsWhichAnswersAreRight()
{
    const RulesCalibration calibration = RulesCalibration::fit(samplesFrom(1, 4000));
    const double billing = calibration.confidence({Category::Billing, 0.8, {0.0, 4.0, 0.0}});
    const double strong = calibration.confidence({Category::Technical, 0.8, {12.0, 0.0, 0.0}});
    const double weak = calibration.confidence({Category::Technical, 0.8, {1.0, 0.0, 0.0}});
    QVERIFY2(std::abs(billing - 0.9) < 0.04, qPrintable(QString::number(billing)));
    QVERIFY2(std::abs(strong - 0.75) < 0.05, qPrintable(QString::number(strong)));
    QVERIFY2(std::abs(weak - 0.45) < 0.05, qPrintable(QString::number(weak)));

    ClassificationMetrics metrics;
    for (const RulesCalibration::Sample &sample : samplesFrom(2, 4000)) {
        const Category actual = sample.right ? sample.reading.named : Category::General;
        metrics.add(actual, sample.reading.named, calibration.confidence(sample.reading));
    }
    QVERIFY2(metrics.expectedCalibrationError() < 0.03,
             qPrintable(QString::number(metrics.expectedCalibrationError())));
    QVERIFY2(metrics.confidenceAuroc() > 0.68,
             qPrintable(QString::number(metrics.confidenceAuroc())));
}

void TestRulesCalibration::fitIsDeterministic()
{
    const auto samples = samplesFrom(3, 500);
    QCOMPARE(RulesCalibration::fit(samples).toJson(), RulesCalibration::fit(samples).toJson());
}

void TestRulesCalibration::oneKindOfAnswerGivesItsSmoothedShare()
{
    std::vector<RulesCalibration::Sample> allRight(8, {{Category::Billing, 0.9, {0, 5, 0}}, true});
    const double confidence =
        RulesCalibration::fit(allRight).confidence({Category::Technical, 0.4, {1, 0, 0}});
    QVERIFY(std::abs(confidence - 9.0 / 10.0) < 1e-9);
    QCOMPARE(RulesCalibration::fit({}).confidence({}), 0.5);
}

void TestRulesCalibration::jsonRoundTrip()
{
    const RulesCalibration calibration = RulesCalibration::fit(samplesFrom(4, 500));
    const auto read = RulesCalibration::fromJson(calibration.toJson());
    QVERIFY(read);
    const auto samples = samplesFrom(5, 50);
    for (const RulesCalibration::Sample &sample : samples)
        QCOMPARE(read->confidence(sample.reading), calibration.confidence(sample.reading));
}

void TestRulesCalibration::otherJsonIsRefused_data()
{
    QTest::addColumn<QJsonObject>("json");
    const QJsonObject valid = RulesCalibration(0.25).toJson();
    QJsonObject shortWeights = valid;
    shortWeights.insert(u"weights"_s, QJsonArray{1.0, 2.0});
    QJsonObject textWeight = valid;
    QJsonArray weights = valid.value(u"weights"_s).toArray();
    weights.replace(3, u"heavy"_s);
    textWeight.insert(u"weights"_s, weights);
    QJsonObject noBias = valid;
    noBias.remove(u"bias"_s);
    QTest::newRow("empty") << QJsonObject();
    // What an earlier build stored: the cautious prior serves until the next training.
    QTest::newRow("temperature and Platt") << QJsonObject{{u"method"_s, u"temperature+platt"_s},
                                                          {u"temperature"_s, 1.0},
                                                          {u"slope"_s, 1.0},
                                                          {u"intercept"_s, 0.0}};
    QTest::newRow("too few weights") << shortWeights;
    QTest::newRow("weight not a number") << textWeight;
    QTest::newRow("no bias") << noBias;
}

void TestRulesCalibration::otherJsonIsRefused()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!RulesCalibration::fromJson(json));
}

QTEST_APPLESS_MAIN(TestRulesCalibration)
#include "tst_rulescalibration.moc"
