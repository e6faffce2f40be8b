#pragma once

#include "category.h"

#include <QString>

#include <optional>

// Maps the dataset's support queues onto the product's three categories.
class CategoryMapping final
{
public:
    struct Entry
    {
        QLatin1String queue;
        Category category;
    };

    static std::optional<Category> categoryForQueue(QStringView queue);
    static const std::array<Entry, 10> &table();
};
