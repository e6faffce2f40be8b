#pragma once

#include "category.h"

#include <QDateTime>
#include <QString>

// A category whose new tickets the machine may answer and resolve by itself: with the reply of
// an already-resolved ticket when both the ticket's classification and its closeness to that
// ticket are at least this sure. Off for every category until an admin sets one.
struct AutoResolveRule
{
    // Below this, a reused reply would too often answer another question.
    static constexpr double kLowestThreshold = 0.5;
    static constexpr double kDefaultThreshold = 0.9;

    Category category = Category::General;
    double threshold = kDefaultThreshold;
    QString updatedBy;
    QDateTime updatedAt;

    static bool isValidThreshold(double threshold)
    {
        return threshold >= kLowestThreshold && threshold <= 1;
    }
};
