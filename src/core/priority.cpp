#include "priority.h"

#include "enumnames.h"

static const EnumNameTable<Priority, 3> kPriorityNames{{
    {Priority::Low, QLatin1String("low")},
    {Priority::Medium, QLatin1String("medium")},
    {Priority::High, QLatin1String("high")},
}};

QLatin1String priorityName(Priority priority)
{
    return enumName(kPriorityNames, priority);
}

std::optional<Priority> priorityFromName(QStringView name)
{
    const QString lower = name.trimmed().toString().toLower();
    if (lower == QLatin1String("critical"))
        return Priority::High;
    return enumFromName(kPriorityNames, lower);
}
