#include "classificationmetrics.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestClassificationMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputedExample();
    void calibration_data();
    void calibration();
    void emptyIsAllZero();
    void aurocRanksAndCountsTiesHalf();
    void jsonAndText();

private:
    // Worked by hand: 4 of 6 right; ECE over bins 5, 6, 7, 8, 9 is 0.3.
    static ClassificationMetrics example();
};

ClassificationMetrics TestClassificationMetrics::example()
{
    ClassificationMetrics metrics;
    metrics.add(Category::Technical, Category::Technical, 0.9);
    metrics.add(Category::Technical, Category::Technical, 0.8);
    metrics.add(Category::Technical, Category::Billing, 0.6);
    metrics.add(Category::Billing, Category::Billing, 0.7);
    metrics.add(Category::General, Category::Technical, 0.55);
    metrics.add(Category::General, Category::General, 0.95);
    return metrics;
}

void TestClassificationMetrics::handComputedExample()
{
    const ClassificationMetrics metrics = example();
    QCOMPARE(metrics.count(), 6);
    QCOMPARE(metrics.accuracy(), 4.0 / 6.0);
    QCOMPARE(metrics.precision(Category::Technical), 2.0 / 3.0);
    QCOMPARE(metrics.recall(Category::Technical), 2.0 / 3.0);
    QCOMPARE(metrics.precision(Category::Billing), 0.5);
    QCOMPARE(metrics.recall(Category::Billing), 1.0);
    QCOMPARE(metrics.precision(Category::General), 1.0);
    QCOMPARE(metrics.recall(Category::General), 0.5);
    QVERIFY(qFuzzyCompare(metrics.macroF1(), 2.0 / 3.0));
    QCOMPARE(metrics.confusion(Category::General, Category::Technical), 1);
    QCOMPARE(metrics.confusion(Category::Billing, Category::General), 0);
    QVERIFY(qAbs(metrics.expectedCalibrationError() - 0.3) < 1e-9);
    // Every right answer (0.7 to 0.95) is more confident than every wrong one (0.55, 0.6).
    QCOMPARE(metrics.confidenceAuroc(), 1.0);
    QVERIFY(qAbs(metrics.brierScore() - 0.805 / 6.0) < 1e-9);
}

void TestClassificationMetrics::calibration_data()
{
    QTest::addColumn<int>("correct");
    QTest::addColumn<int>("total");
    QTest::addColumn<double>("confidence");
    QTest::addColumn<double>("expected");

    QTest::newRow("calibrated at 0.8") << 8 << 10 << 0.8 << 0.0;
    QTest::newRow("overconfident") << 5 << 10 << 0.9 << 0.4;
    QTest::newRow("underconfident") << 10 << 10 << 0.5 << 0.5;
    QTest::newRow("certain and right, top bin") << 4 << 4 << 1.0 << 0.0;
}

void TestClassificationMetrics::calibration()
{
    QFETCH(int, correct);
    QFETCH(int, total);
    QFETCH(double, confidence);
    QFETCH(double, expected);
    ClassificationMetrics metrics;
    for (int i = 0; i < total; ++i)
        metrics.add(Category::Billing, i < correct ? Category::Billing : Category::General,
                    confidence);
    QVERIFY2(qAbs(metrics.expectedCalibrationError() - expected) < 1e-9,
             qPrintable(QString::number(metrics.expectedCalibrationError())));
}

void TestClassificationMetrics::emptyIsAllZero()
{
    const ClassificationMetrics metrics;
    QCOMPARE(metrics.count(), 0);
    QCOMPARE(metrics.accuracy(), 0.0);
    QCOMPARE(metrics.macroF1(), 0.0);
    QCOMPARE(metrics.expectedCalibrationError(), 0.0);
    QCOMPARE(metrics.confidenceAuroc(), 0.5);
    QCOMPARE(metrics.brierScore(), 0.0);
}

void TestClassificationMetrics::aurocRanksAndCountsTiesHalf()
{
    ClassificationMetrics metrics;
    metrics.add(Category::Billing, Category::Billing, 0.8);   // right
    metrics.add(Category::Billing, Category::Billing, 0.5);   // right
    metrics.add(Category::Billing, Category::General, 0.5);   // wrong, tied with a right one
    metrics.add(Category::Billing, Category::Technical, 0.9); // wrong, above both
    // Pairs (right, wrong): (0.8, 0.5) 1, (0.8, 0.9) 0, (0.5, 0.5) 0.5, (0.5, 0.9) 0.
    QCOMPARE(metrics.confidenceAuroc(), 1.5 / 4.0);

    // The same confidence for everything says nothing about which answers are right.
    ClassificationMetrics constant;
    constant.add(Category::Billing, Category::Billing, 0.6);
    constant.add(Category::Billing, Category::General, 0.6);
    constant.add(Category::General, Category::General, 0.6);
    QCOMPARE(constant.confidenceAuroc(), 0.5);
}

void TestClassificationMetrics::jsonAndText()
{
    const ClassificationMetrics metrics = example();
    const QJsonObject json = metrics.toJson();
    QCOMPARE(json.value(u"count"_s).toInteger(), 6);
    QCOMPARE(json.value(u"accuracy"_s).toDouble(), 4.0 / 6.0);
    QCOMPARE(json[u"confusion"_s][u"general"_s][u"technical"_s].toInteger(), 1);
    QCOMPARE(json[u"per_category"_s][u"billing"_s][u"recall"_s].toDouble(), 1.0);
    QCOMPARE(json.value(u"confidence_auroc"_s).toDouble(), 1.0);

    const QString text = metrics.toText();
    QVERIFY2(text.contains(u"accuracy:  0.667"_s), qPrintable(text));
    QVERIFY(text.contains(u"ECE:       0.300"_s));
    QVERIFY(text.contains(u"technical"_s));
}

QTEST_GUILESS_MAIN(TestClassificationMetrics)
#include "tst_classificationmetrics.moc"
