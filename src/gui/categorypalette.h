#pragma once

#include "category.h"

#include <QColor>
#include <QString>

// The colour and display name of each category, the same in the table, the filters and the chart.
class CategoryPalette final
{
public:
    static QColor color(Category category);
    static QColor unclassifiedColor();
    static QString displayName(Category category);
};
