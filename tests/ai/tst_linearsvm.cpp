#include "linearsvm.h"

#include <QTest>

#include <numeric>

class TestLinearSvm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void separatesThreeCategories();
    void trainsOnTheRowsNamedOnly();
    void twoCategoriesScoreOppositeWays();
    void isDeterministic();
};

// Feature i marks category i; feature 3 appears everywhere and says nothing.
static std::vector<TfidfVectorizer::Vector> rows(int perCategory)
{
    std::vector<TfidfVectorizer::Vector> result;
    for (int i = 0; i < perCategory; ++i) {
        for (int category = 0; category < 3; ++category)
            result.push_back({{category, 0.8}, {3, 0.6}});
    }
    return result;
}

static std::vector<Category> labels(int perCategory)
{
    std::vector<Category> result;
    for (int i = 0; i < perCategory; ++i)
        result.insert(result.end(), kAllCategories.begin(), kAllCategories.end());
    return result;
}

static std::vector<int> all(int count)
{
    std::vector<int> indexes(static_cast<std::size_t>(count));
    std::iota(indexes.begin(), indexes.end(), 0);
    return indexes;
}

static Category best(const LinearModel::Scores &scores)
{
    return kAllCategories[std::size_t(std::max_element(scores.begin(), scores.end()) -
                                      scores.begin())];
}

void TestLinearSvm::separatesThreeCategories()
{
    const LinearSvm svm(rows(10), labels(10), 4);
    const LinearModel::Weights weights = svm.train(all(30), 1.0);
    QCOMPARE(weights.featureCount, 4);
    QCOMPARE(weights.values.size(), 12u);
    QVERIFY(weights.known[0] && weights.known[1] && weights.known[2]);
    for (int category = 0; category < 3; ++category) {
        const TfidfVectorizer::Vector marked{{category, 0.8}, {3, 0.6}};
        QCOMPARE(best(LinearModel::scores(weights, marked)), kAllCategories[std::size_t(category)]);
    }
}

void TestLinearSvm::trainsOnTheRowsNamedOnly()
{
    // Rows 0 and 1 of each triple: technical and billing only.
    std::vector<int> someRows;
    for (int i = 0; i < 30; i += 3)
        someRows.insert(someRows.end(), {i, i + 1});
    const LinearSvm svm(rows(10), labels(10), 4);
    const LinearModel::Weights weights = svm.train(someRows, 1.0);
    QVERIFY(weights.known[0] && weights.known[1]);
    QVERIFY(!weights.known[2]);
    QVERIFY(std::isinf(LinearModel::scores(weights, {{2, 1.0}})[2]));
}

void TestLinearSvm::twoCategoriesScoreOppositeWays()
{
    std::vector<int> someRows;
    for (int i = 0; i < 30; i += 3)
        someRows.insert(someRows.end(), {i, i + 2});
    const LinearSvm svm(rows(10), labels(10), 4);
    const LinearModel::Weights weights = svm.train(someRows, 1.0);
    const LinearModel::Scores technical = LinearModel::scores(weights, {{0, 0.8}, {3, 0.6}});
    const LinearModel::Scores general = LinearModel::scores(weights, {{2, 0.8}, {3, 0.6}});
    QCOMPARE(best(technical), Category::Technical);
    QCOMPARE(best(general), Category::General);
    QVERIFY(std::abs(technical[0] + technical[2]) < 1e-9); // one weight vector, both signs
}

void TestLinearSvm::isDeterministic()
{
    const LinearSvm svm(rows(10), labels(10), 4);
    const LinearModel::Weights a = svm.train(all(30), 0.5);
    const LinearModel::Weights b = svm.train(all(30), 0.5);
    QCOMPARE(a.values, b.values);
    QCOMPARE(a.bias, b.bias);
    // A different cost gives a different model, so the cost is really passed on.
    QVERIFY(svm.train(all(30), 0.01).values != a.values);
}

QTEST_APPLESS_MAIN(TestLinearSvm)
#include "tst_linearsvm.moc"
