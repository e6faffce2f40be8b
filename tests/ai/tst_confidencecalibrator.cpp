#include "classificationmetrics.h"
#include "confidencecalibrator.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestConfidenceCalibrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void identityKeepsTheTopProbability_data();
    void identityKeepsTheTopProbability();
    void temperingKeepsTheOrderAndSumsToOne();
    void overconfidenceIsCorrected();
    void fitIsDeterministic();
    void allCorrectStaysFiniteAndHigh();
    void tooFewSamplesGiveTheIdentity();
    void aCategoryRightMoreOftenGetsMoreConfidence();
    void aCategoryAlwaysWrongFarOutOnTheMapIsBroughtDown();
    void jsonRoundTrip();
    void jsonWithoutOffsetsReadsAsNone();
    void invalidJsonIsRefused_data();
    void invalidJsonIsRefused();
};

using Probabilities = ConfidenceCalibrator::Probabilities;

void TestConfidenceCalibrator::identityKeepsTheTopProbability_data()
{
    QTest::addColumn<double>("technical");
    QTest::addColumn<double>("billing");
    QTest::addColumn<double>("general");
    QTest::addColumn<int>("top");
    QTest::newRow("technical") << 0.7 << 0.2 << 0.1 << int(Category::Technical);
    QTest::newRow("billing") << 0.1 << 0.5 << 0.4 << int(Category::Billing);
    QTest::newRow("general") << 0.3 << 0.3 << 0.4 << int(Category::General);
    QTest::newRow("tie goes to the first") << 0.4 << 0.4 << 0.2 << int(Category::Technical);
}

void TestConfidenceCalibrator::identityKeepsTheTopProbability()
{
    QFETCH(double, technical);
    QFETCH(double, billing);
    QFETCH(double, general);
    QFETCH(int, top);
    const Probabilities p{technical, billing, general};
    QCOMPARE(int(ConfidenceCalibrator::topCategory(p)), top);
    const ConfidenceCalibrator identity;
    QVERIFY(qAbs(identity.confidence(p) - p[std::size_t(top)]) < 1e-6);
}

void TestConfidenceCalibrator::temperingKeepsTheOrderAndSumsToOne()
{
    const Probabilities p{0.6, 0.3, 0.1};
    const ConfidenceCalibrator hot(3.0, 1.0, 0.0);
    const Probabilities t = hot.tempered(p);
    QVERIFY(qAbs(t[0] + t[1] + t[2] - 1.0) < 1e-9);
    QVERIFY(t[0] > t[1] && t[1] > t[2]);
    // A temperature above one flattens: p^(1/3) renormalised.
    QVERIFY(qAbs(t[0] - std::cbrt(0.6) / (std::cbrt(0.6) + std::cbrt(0.3) + std::cbrt(0.1))) <
            1e-9);
    QVERIFY(hot.confidence(p) < 0.6);
}

// A model that says 0.95 but is right 70% of the time, and says 0.6 when right 40% of the time:
// after fitting, the confidence must match the hit rates on fresh samples from the same source.
static std::vector<ConfidenceCalibrator::Sample> overconfidentSamples(quint32 seed, int count)
{
    QRandomGenerator random(seed);
    std::vector<ConfidenceCalibrator::Sample> samples;
    for (int i = 0; i < count; ++i) {
        const bool sure = random.bounded(2) == 0;
        const double top = sure ? 0.95 : 0.6;
        const double hitRate = sure ? 0.7 : 0.4;
        const Category predicted = kAllCategories[std::size_t(random.bounded(3))];
        const bool hit = random.generateDouble() < hitRate;
        Probabilities p{};
        for (std::size_t c = 0; c < p.size(); ++c)
            p[c] = c == std::size_t(predicted) ? top : (1.0 - top) / 2.0;
        const Category other = kAllCategories[(std::size_t(predicted) + 1) % 3];
        samples.push_back({p, hit ? predicted : other});
    }
    return samples;
}

static double ece(const std::vector<ConfidenceCalibrator::Sample> &samples,
                  const ConfidenceCalibrator &calibrator)
{
    ClassificationMetrics metrics;
    for (const auto &sample : samples) {
        metrics.add(sample.actual, ConfidenceCalibrator::topCategory(sample.probabilities),
                    calibrator.confidence(sample.probabilities));
    }
    return metrics.expectedCalibrationError();
}

void TestConfidenceCalibrator::overconfidenceIsCorrected()
{
    const auto fitSamples = overconfidentSamples(1, 2000);
    const auto testSamples = overconfidentSamples(2, 2000);
    const ConfidenceCalibrator calibrator = ConfidenceCalibrator::fit(fitSamples);
    QVERIFY(ece(testSamples, ConfidenceCalibrator()) > 0.2);
    QVERIFY2(ece(testSamples, calibrator) < 0.03,
             qPrintable(QString::number(ece(testSamples, calibrator))));
    QVERIFY(calibrator.temperature() > 1.0);
    const Probabilities sure{0.95, 0.025, 0.025};
    const Probabilities unsure{0.6, 0.2, 0.2};
    QVERIFY(qAbs(calibrator.confidence(sure) - 0.7) < 0.05);
    QVERIFY(qAbs(calibrator.confidence(unsure) - 0.4) < 0.05);
}

void TestConfidenceCalibrator::fitIsDeterministic()
{
    const auto samples = overconfidentSamples(3, 500);
    const ConfidenceCalibrator a = ConfidenceCalibrator::fit(samples);
    const ConfidenceCalibrator b = ConfidenceCalibrator::fit(samples);
    QCOMPARE(a.temperature(), b.temperature());
    QCOMPARE(a.slope(), b.slope());
    QCOMPARE(a.intercept(), b.intercept());
    QCOMPARE(a.offsets(), b.offsets());
}

void TestConfidenceCalibrator::allCorrectStaysFiniteAndHigh()
{
    std::vector<ConfidenceCalibrator::Sample> samples;
    for (int i = 0; i < 50; ++i)
        samples.push_back({Probabilities{0.9, 0.05, 0.05}, Category::Technical});
    const ConfidenceCalibrator calibrator = ConfidenceCalibrator::fit(samples);
    QVERIFY(std::isfinite(calibrator.slope()) && std::isfinite(calibrator.intercept()));
    const double confidence = calibrator.confidence({0.9, 0.05, 0.05});
    QVERIFY2(confidence > 0.9 && confidence < 1.0, qPrintable(QString::number(confidence)));
}

void TestConfidenceCalibrator::tooFewSamplesGiveTheIdentity()
{
    const ConfidenceCalibrator calibrator =
        ConfidenceCalibrator::fit({{Probabilities{0.8, 0.1, 0.1}, Category::Billing}});
    QCOMPARE(calibrator.temperature(), 1.0);
    QCOMPARE(calibrator.slope(), 1.0);
    QCOMPARE(calibrator.intercept(), 0.0);
}

// The rules' shape: a billing answer is nearly always right and a technical one right half the
// time, at the same probabilities. Confidence must tell them apart and match each hit rate, and a
// category named only a few times keeps close to the shared map.
void TestConfidenceCalibrator::aCategoryRightMoreOftenGetsMoreConfidence()
{
    const auto samplesFrom = [](quint32 seed) {
        QRandomGenerator random(seed);
        std::vector<ConfidenceCalibrator::Sample> samples;
        for (int i = 0; i < 3000; ++i) {
            const bool billing = i % 2 == 0;
            const double top = 0.5 + 0.4 * random.generateDouble();
            const double hitRate = billing ? 0.9 : 0.5;
            Probabilities p{(1.0 - top) / 2.0, (1.0 - top) / 2.0, (1.0 - top) / 2.0};
            const Category predicted = billing ? Category::Billing : Category::Technical;
            p[std::size_t(predicted)] = top;
            const bool hit = random.generateDouble() < hitRate;
            samples.push_back({p, hit ? predicted : Category::General});
        }
        // Three general answers, all wrong: too few to move general far from the shared map.
        for (int i = 0; i < 3; ++i)
            samples.push_back({Probabilities{0.2, 0.1, 0.7}, Category::Technical});
        return samples;
    };
    const ConfidenceCalibrator calibrator = ConfidenceCalibrator::fit(samplesFrom(5));
    const Probabilities billing{0.15, 0.7, 0.15};
    const Probabilities technical{0.7, 0.15, 0.15};
    QVERIFY2(qAbs(calibrator.confidence(billing) - 0.9) < 0.04,
             qPrintable(QString::number(calibrator.confidence(billing))));
    QVERIFY2(qAbs(calibrator.confidence(technical) - 0.5) < 0.04,
             qPrintable(QString::number(calibrator.confidence(technical))));
    QVERIFY(calibrator.offsets()[std::size_t(Category::Billing)] >
            calibrator.offsets()[std::size_t(Category::Technical)]);
    QVERIFY2(qAbs(calibrator.offsets()[std::size_t(Category::General)]) < 1.0,
             qPrintable(QString::number(calibrator.offsets()[std::size_t(Category::General)])));

    ClassificationMetrics metrics;
    for (const auto &sample : samplesFrom(6)) {
        metrics.add(sample.actual, ConfidenceCalibrator::topCategory(sample.probabilities),
                    calibrator.confidence(sample.probabilities));
    }
    QVERIFY2(metrics.confidenceAuroc() > 0.7,
             qPrintable(QString::number(metrics.confidenceAuroc())));
    QVERIFY2(metrics.expectedCalibrationError() < 0.04,
             qPrintable(QString::number(metrics.expectedCalibrationError())));
}

// Most answers right (so the shared map is confident), one category's answers all wrong: its
// shift must bring them far down. A plain Newton step overshoots on this flat a loss and swings
// between two wrong values.
void TestConfidenceCalibrator::aCategoryAlwaysWrongFarOutOnTheMapIsBroughtDown()
{
    std::vector<ConfidenceCalibrator::Sample> samples;
    for (int i = 0; i < 9500; ++i)
        samples.push_back({Probabilities{0.95, 0.03, 0.02}, Category::Technical});
    for (int i = 0; i < 500; ++i)
        samples.push_back({Probabilities{0.02, 0.95, 0.03}, Category::General});
    const ConfidenceCalibrator calibrator = ConfidenceCalibrator::fit(samples);
    QVERIFY2(calibrator.confidence({0.95, 0.03, 0.02}) > 0.95,
             qPrintable(QString::number(calibrator.confidence({0.95, 0.03, 0.02}))));
    QVERIFY2(calibrator.confidence({0.02, 0.95, 0.03}) < 0.1,
             qPrintable(QString::number(calibrator.confidence({0.02, 0.95, 0.03}))));
}

void TestConfidenceCalibrator::jsonRoundTrip()
{
    const ConfidenceCalibrator calibrator(2.5, 0.75, -0.25, {0.5, -1.0, 0.125});
    const auto read = ConfidenceCalibrator::fromJson(calibrator.toJson());
    QVERIFY(read.has_value());
    QCOMPARE(read->temperature(), 2.5);
    QCOMPARE(read->slope(), 0.75);
    QCOMPARE(read->intercept(), -0.25);
    QCOMPARE(read->offsets(), (ConfidenceCalibrator::Offsets{0.5, -1.0, 0.125}));
    QCOMPARE(calibrator.toJson().value(u"offsets"_s).toObject().value(u"billing"_s).toDouble(),
             -1.0);
}

// As the rules' calibration was stored before categories had their own shift.
void TestConfidenceCalibrator::jsonWithoutOffsetsReadsAsNone()
{
    QJsonObject stored = ConfidenceCalibrator(2.0, 0.5, 0.25, {1.0, 1.0, 1.0}).toJson();
    stored.remove(u"offsets"_s);
    const auto read = ConfidenceCalibrator::fromJson(stored);
    QVERIFY(read.has_value());
    QCOMPARE(read->offsets(), ConfidenceCalibrator::Offsets{});
    QCOMPARE(read->confidence({0.6, 0.2, 0.2}),
             ConfidenceCalibrator(2.0, 0.5, 0.25).confidence({0.6, 0.2, 0.2}));
}

void TestConfidenceCalibrator::invalidJsonIsRefused_data()
{
    QTest::addColumn<QJsonObject>("json");
    const QJsonObject valid = ConfidenceCalibrator(2.0, 1.0, 0.0).toJson();
    QJsonObject otherMethod = valid;
    otherMethod.insert(u"method"_s, u"isotonic"_s);
    QJsonObject zeroTemperature = valid;
    zeroTemperature.insert(u"temperature"_s, 0.0);
    QJsonObject noSlope = valid;
    noSlope.remove(u"slope"_s);
    QJsonObject textOffset = valid;
    textOffset.insert(u"offsets"_s, QJsonObject{{u"general"_s, u"high"_s}});
    QTest::newRow("empty") << QJsonObject();
    QTest::newRow("other method") << otherMethod;
    QTest::newRow("zero temperature") << zeroTemperature;
    QTest::newRow("no slope") << noSlope;
    QTest::newRow("offset not a number") << textOffset;
}

void TestConfidenceCalibrator::invalidJsonIsRefused()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!ConfidenceCalibrator::fromJson(json).has_value());
}

QTEST_GUILESS_MAIN(TestConfidenceCalibrator)
#include "tst_confidencecalibrator.moc"
