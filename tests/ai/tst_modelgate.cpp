#include "modelgate.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestModelGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void binomialTailIsExact();
    void clearlyBetterReplaces();
    void worseIsRefused();
    void tieKeepsWhatIsInUse();
    void smallLeadCouldBeChance();
    void accuracyBoughtWithACategoryIsRefused();
};

namespace {

struct Answers
{
    std::vector<Category> actual;
    std::vector<Category> candidate;
    std::vector<Category> incumbent;

    // `count` tickets of `truth`, answered as given.
    void add(int count, Category truth, Category candidateSays, Category incumbentSays)
    {
        for (int i = 0; i < count; ++i) {
            actual.push_back(truth);
            candidate.push_back(candidateSays);
            incumbent.push_back(incumbentSays);
        }
    }
    ModelGate::Verdict verdict() const
    {
        return ModelGate::compare(actual, candidate, incumbent, u"the new model"_s,
                                  u"the built-in rules"_s);
    }
};

constexpr Category T = Category::Technical;
constexpr Category B = Category::Billing;
constexpr Category G = Category::General;

} // namespace

void TestModelGate::binomialTailIsExact()
{
    QCOMPARE(ModelGate::binomialTail(0, 10), 1.0);
    QVERIFY(qFuzzyCompare(ModelGate::binomialTail(5, 5), 1.0 / 32.0));
    QVERIFY(qFuzzyCompare(ModelGate::binomialTail(3, 4), 5.0 / 16.0));
    QCOMPARE(ModelGate::binomialTail(6, 5), 0.0);
    // P(X >= 60) for 100 fair coins: 0.028444 (tables).
    QVERIFY(qAbs(ModelGate::binomialTail(60, 100) - 0.0284440) < 1e-6);
    // Large counts neither overflow nor vanish.
    const double tail = ModelGate::binomialTail(50'500, 100'000);
    QVERIFY2(tail > 0.0005 && tail < 0.001, qPrintable(QString::number(tail)));
}

void TestModelGate::clearlyBetterReplaces()
{
    Answers answers;
    answers.add(60, T, T, T);
    answers.add(20, B, B, G); // only the new model
    answers.add(5, G, T, G);  // only the rules
    answers.add(15, G, G, G);
    const ModelGate::Verdict verdict = answers.verdict();
    QVERIFY(verdict.accepted);
    QCOMPARE(verdict.candidateOnly, 20);
    QCOMPARE(verdict.incumbentOnly, 5);
    QCOMPARE(verdict.candidateAccuracy, 0.95);
    QCOMPARE(verdict.incumbentAccuracy, 0.80);
    QVERIFY(verdict.pValue < 0.01);
    QVERIFY2(verdict.reason.contains(u"better than the built-in rules by more than chance"_s),
             qPrintable(verdict.reason));
}

void TestModelGate::worseIsRefused()
{
    Answers answers;
    answers.add(60, T, T, T);
    answers.add(5, B, B, G);
    answers.add(20, G, T, G);
    const ModelGate::Verdict verdict = answers.verdict();
    QVERIFY(!verdict.accepted);
    QVERIFY2(verdict.reason.contains(u"The new model is not more accurate, so nothing changes"_s),
             qPrintable(verdict.reason));
}

void TestModelGate::tieKeepsWhatIsInUse()
{
    Answers answers;
    answers.add(40, T, T, T);
    answers.add(10, B, B, G);
    answers.add(10, G, T, G);
    const ModelGate::Verdict verdict = answers.verdict();
    QCOMPARE(verdict.candidateAccuracy, verdict.incumbentAccuracy);
    QVERIFY(!verdict.accepted);

    Answers same;
    same.add(30, B, B, B);
    QVERIFY(!same.verdict().accepted);
}

void TestModelGate::smallLeadCouldBeChance()
{
    Answers answers;
    answers.add(80, T, T, T);
    answers.add(6, B, B, G);
    answers.add(3, G, T, G);
    const ModelGate::Verdict verdict = answers.verdict();
    QVERIFY(verdict.candidateAccuracy > verdict.incumbentAccuracy);
    QVERIFY(!verdict.accepted);
    QVERIFY(qFuzzyCompare(verdict.pValue, 130.0 / 512.0)); // P(X >= 6) of 9 fair coins
    QVERIFY2(verdict.reason.contains(u"could be chance"_s), qPrintable(verdict.reason));
}

void TestModelGate::accuracyBoughtWithACategoryIsRefused()
{
    // The new model never says billing: it wins many technical tickets and loses every billing
    // one, more accurate overall and useless for the billing queue.
    Answers answers;
    answers.add(100, T, T, G);
    answers.add(50, T, T, T);
    answers.add(30, B, T, B);
    answers.add(60, G, G, G);
    const ModelGate::Verdict verdict = answers.verdict();
    QVERIFY(verdict.candidateAccuracy > verdict.incumbentAccuracy);
    QVERIFY(verdict.pValue < ModelGate::kSignificance);
    QVERIFY(verdict.candidateMacroF1 < verdict.incumbentMacroF1);
    QVERIFY(!verdict.accepted);
    QVERIFY2(verdict.reason.contains(u"worse on some category"_s), qPrintable(verdict.reason));
}

QTEST_APPLESS_MAIN(TestModelGate)
#include "tst_modelgate.moc"
