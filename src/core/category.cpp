#include "category.h"

#include "enumnames.h"

static const EnumNameTable<Category, 3> kCategoryNames{{
    {Category::Technical, QLatin1String("technical")},
    {Category::Billing, QLatin1String("billing")},
    {Category::General, QLatin1String("general")},
}};

QLatin1String categoryName(Category category)
{
    return enumName(kCategoryNames, category);
}

std::optional<Category> categoryFromName(QStringView name)
{
    return enumFromName(kCategoryNames, name);
}
