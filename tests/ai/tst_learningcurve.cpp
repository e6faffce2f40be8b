#include "learningcurve.h"
#include "trainingfixture.h"
#include "trainingset.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestLearningCurve : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void measuresDoublingSizesOnOneHeldOutFold();
    void isDeterministicAndSurvivesJson();
    void tooFewTicketsGiveNoCurve();
    void damagedPointsAreLeftOut();
};

void TestLearningCurve::measuresDoublingSizesOnOneHeldOutFold()
{
    const TrainingSet set(TrainingFixture::teamExamples());
    const LearningCurve curve = LearningCurve::measure(set);
    qint64 heldOut = 0;
    for (const TrainingSet::Entry &entry : set.entries())
        heldOut += TrainingSet::foldOf(entry.key, 5) == 0;
    QCOMPARE(curve.heldOut, heldOut);
    const qint64 pool = set.size() - heldOut;
    QVERIFY(pool > 200 && pool < 400);
    QCOMPARE(curve.points.size(), std::size_t(3));
    QCOMPARE(curve.points[0].tickets, 100);
    QCOMPARE(curve.points[1].tickets, 200);
    QCOMPARE(curve.points[2].tickets, pool);
    // The team's product names are learned; the rules never heard of them.
    QVERIFY(curve.rulesAccuracy < 0.5);
    QVERIFY(curve.points.back().accuracy > 0.9);
    QVERIFY(curve.points.back().accuracy >= curve.points.front().accuracy);

    LearningCurve::Options capped;
    capped.largestSize = 150;
    const LearningCurve short_ = LearningCurve::measure(set, capped);
    QCOMPARE(short_.points.size(), std::size_t(2));
    QCOMPARE(short_.points.back().tickets, 150);
}

void TestLearningCurve::isDeterministicAndSurvivesJson()
{
    const TrainingSet set(TrainingFixture::examples());
    const LearningCurve first = LearningCurve::measure(set);
    const LearningCurve second = LearningCurve::measure(set);
    QVERIFY(!first.points.empty());
    QCOMPARE(first.toJson(), second.toJson());
    const LearningCurve read = LearningCurve::fromJson(first.toJson());
    QCOMPARE(read.toJson(), first.toJson());
    QCOMPARE(read.points.size(), first.points.size());
}

void TestLearningCurve::tooFewTicketsGiveNoCurve()
{
    const LearningCurve curve =
        LearningCurve::measure(TrainingSet(TrainingFixture::teamExamples().mid(0, 100)));
    QVERIFY(curve.points.empty());
    QVERIFY(curve.toText().contains(u"Too few"_s));
}

void TestLearningCurve::damagedPointsAreLeftOut()
{
    const QJsonObject json{
        {u"points"_s, QJsonArray{QJsonObject{{u"tickets"_s, 100}, {u"accuracy"_s, 0.5}},
                                 QJsonObject{{u"tickets"_s, -3}, {u"accuracy"_s, 0.5}},
                                 QJsonObject{{u"tickets"_s, 200}, {u"accuracy"_s, 7}},
                                 QJsonObject{{u"tickets"_s, 400}}}},
        {u"held_out"_s, 40},
        {u"rules_accuracy"_s, 0.6}};
    const LearningCurve curve = LearningCurve::fromJson(json);
    QCOMPARE(curve.points.size(), std::size_t(1));
    QCOMPARE(curve.points[0].tickets, 100);
}

QTEST_GUILESS_MAIN(TestLearningCurve)
#include "tst_learningcurve.moc"
