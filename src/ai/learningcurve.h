#pragma once

#include "trainingset.h"

#include <QJsonArray>
#include <QJsonObject>

#include <stop_token>
#include <vector>

// How accuracy grows with the number of labelled tickets, from a team's own tickets: the linear
// recipe trained on more and more of them (doubling from 100, in the set's random key order) and
// always measured on the same held-out fold, which none of them trains on, beside the built-in
// rules on that fold. What shows a manager what corrections are worth.
class LearningCurve final
{
public:
    struct Point
    {
        qint64 tickets = 0;
        double accuracy = 0.0;
    };

    struct Options
    {
        int folds = 5;
        // The middle of LinearModelTrainer's costs: a curve compares sizes, not costs.
        double cost = 0.5;
        qint64 firstSize = 100;
        // The largest training share measured; 0 for all of it.
        qint64 largestSize = 0;
        // Looked at before each size: measure() then throws TrainingCancelled.
        std::stop_token stop;
    };

    std::vector<Point> points;
    double rulesAccuracy = 0.0;
    qint64 heldOut = 0;

    // Needs at least firstSize training tickets and one held-out ticket; otherwise no points.
    static LearningCurve measure(const TrainingSet &set, const Options &options);
    static LearningCurve measure(const TrainingSet &set) { return measure(set, Options()); }

    QJsonObject toJson() const;
    static LearningCurve fromJson(const QJsonObject &json);
    QString toText() const;
};
