#pragma once

#include "category.h"
#include "priority.h"

#include <QString>

// What a classifier says about one ticket's text.
struct Prediction
{
    Category category = Category::General;
    // Probability-like score in [0, 1] that the category is right.
    double confidence = 0.0;
    Priority priority = Priority::Medium;
    QString summary;
};
