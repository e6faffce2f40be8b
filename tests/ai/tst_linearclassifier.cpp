#include "linearclassifier.h"
#include "linearmodeltrainer.h"
#include "trainingfixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestLinearClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesItsModel();
    void modelsCategoryAndConfidenceWithTheRulesPriority();
};

static LinearModel fixtureModel()
{
    return LinearModelTrainer().train(TrainingSet(TrainingFixture::examples())).model;
}

void TestLinearClassifier::namesItsModel()
{
    const LinearClassifier classifier(LinearModel(), u"20261206-161500"_s);
    QCOMPARE(classifier.modelName(), u"linear-20261206-161500"_s);
    QCOMPARE(classifier.modelVersion(), u"20261206-161500"_s);
}

void TestLinearClassifier::modelsCategoryAndConfidenceWithTheRulesPriority()
{
    const LinearModel model = fixtureModel();
    const LinearClassifier classifier(model, u"v"_s);
    const QString text = u"Outage: the app crashes with an error for everyone, urgent"_s;
    const Prediction prediction = classifier.predict(text);
    const auto [category, confidence] = model.classify(text);
    QCOMPARE(prediction.category, category);
    QCOMPARE(prediction.category, Category::Technical);
    QCOMPARE(prediction.confidence, confidence);
    QCOMPARE(prediction.priority, RulesClassifier().predict(text).priority);
    QCOMPARE(prediction.priority, Priority::High);
    QVERIFY(prediction.summary.isEmpty());
}

QTEST_GUILESS_MAIN(TestLinearClassifier)
#include "tst_linearclassifier.moc"
