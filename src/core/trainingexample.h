#pragma once

#include "category.h"

#include <QString>

// One ticket text with the category it is known to belong to: what the learned model learns from.
struct TrainingExample
{
    QString text;
    Category category = Category::General;
    // An agent confirmed or corrected the category; outranks a label derived from a queue.
    bool fromAgent = false;
};
