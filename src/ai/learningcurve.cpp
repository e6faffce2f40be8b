#include "learningcurve.h"

#include "linearsvm.h"
#include "rulesclassifier.h"
#include "textngrams.h"
#include "trainingcancelled.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

LearningCurve LearningCurve::measure(const TrainingSet &set, const Options &options)
{
    LearningCurve curve;
    std::vector<const TrainingSet::Entry *> pool;
    std::vector<const TrainingSet::Entry *> test;
    for (const TrainingSet::Entry &entry : set.entries())
        (TrainingSet::foldOf(entry.key, options.folds) == 0 ? test : pool).push_back(&entry);
    curve.heldOut = qint64(test.size());
    const qint64 available = options.largestSize > 0
                                 ? std::min<qint64>(options.largestSize, qint64(pool.size()))
                                 : qint64(pool.size());
    if (test.empty() || available < options.firstSize)
        return curve;

    const RulesClassifier rules;
    qint64 rulesRight = 0;
    std::vector<std::vector<quint64>> testKeys(test.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
        rulesRight += rules.predict(test[i]->example.text).category == test[i]->example.category;
        TextNgrams::keys(test[i]->example.text, &testKeys[i]);
    }
    curve.rulesAccuracy = double(rulesRight) / double(test.size());

    std::vector<qint64> sizes;
    for (qint64 size = options.firstSize; size < available; size *= 2)
        sizes.push_back(size);
    sizes.push_back(available);
    for (const qint64 size : sizes) {
        TrainingCancelled::throwIfRequested(options.stop);
        // The vocabulary too comes from the training tickets alone, as it would in a real team
        // with that many tickets.
        std::vector<std::vector<quint64>> keys(static_cast<std::size_t>(size));
        std::vector<Category> labels;
        labels.reserve(std::size_t(size));
        for (qint64 i = 0; i < size; ++i) {
            TextNgrams::keys(pool[std::size_t(i)]->example.text, &keys[std::size_t(i)]);
            labels.push_back(pool[std::size_t(i)]->example.category);
        }
        const TfidfVectorizer vectorizer = TfidfVectorizer::fit(keys);
        std::vector<TfidfVectorizer::Vector> rows(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i)
            vectorizer.transform(keys[i], &rows[i]);
        std::vector<int> all(rows.size());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = int(i);
        const LinearModel::Weights weights =
            LinearSvm(rows, labels, vectorizer.size()).train(all, options.cost);
        qint64 right = 0;
        TfidfVectorizer::Vector row;
        for (std::size_t i = 0; i < test.size(); ++i) {
            vectorizer.transform(testKeys[i], &row);
            const auto probabilities =
                LinearModel::probabilities(LinearModel::scores(weights, row));
            right += ConfidenceCalibrator::topCategory(probabilities) == test[i]->example.category;
        }
        curve.points.push_back({size, double(right) / double(test.size())});
    }
    return curve;
}

QJsonObject LearningCurve::toJson() const
{
    QJsonArray array;
    for (const Point &point : points)
        array.append(QJsonObject{{u"tickets"_s, point.tickets}, {u"accuracy"_s, point.accuracy}});
    return {{u"points"_s, array}, {u"held_out"_s, heldOut}, {u"rules_accuracy"_s, rulesAccuracy}};
}

LearningCurve LearningCurve::fromJson(const QJsonObject &json)
{
    LearningCurve curve;
    for (const QJsonValue &value : json.value(u"points"_s).toArray()) {
        const QJsonObject point = value.toObject();
        const qint64 tickets = point.value(u"tickets"_s).toInteger();
        const double accuracy = point.value(u"accuracy"_s).toDouble(-1.0);
        // Only what a chart can draw: a damaged entry is left out, not drawn at zero.
        if (tickets > 0 && accuracy >= 0.0 && accuracy <= 1.0)
            curve.points.push_back({tickets, accuracy});
    }
    curve.heldOut = json.value(u"held_out"_s).toInteger();
    curve.rulesAccuracy = json.value(u"rules_accuracy"_s).toDouble();
    return curve;
}

QString LearningCurve::toText() const
{
    if (points.empty()) {
        return QCoreApplication::translate("LearningCurve",
                                           "Too few labelled tickets for a learning curve: it "
                                           "needs 100 to train on and a fifth more to test on.\n");
    }
    QString text = QCoreApplication::translate(
                       "LearningCurve", "accuracy on %1 held-out tickets by training tickets "
                                        "(built-in rules: %2)\n")
                       .arg(heldOut)
                       .arg(rulesAccuracy, 0, 'f', 3);
    for (const Point &point : points)
        text += u"%1  %2\n"_s.arg(point.tickets, 9).arg(point.accuracy, 0, 'f', 3);
    return text;
}
