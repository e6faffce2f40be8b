#pragma once

#include <QLatin1String>
#include <QStringView>

#include <array>
#include <optional>

// The three categories a ticket is routed to; the set every classifier must answer from.
enum class Category { Technical, Billing, General };

inline constexpr std::array<Category, 3> kAllCategories{Category::Technical, Category::Billing,
                                                        Category::General};

QLatin1String categoryName(Category category);
std::optional<Category> categoryFromName(QStringView name);
