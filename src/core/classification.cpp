#include "classification.h"

#include "enumnames.h"

namespace {

const EnumNameTable<ClassificationProvider, 4> kProviderNames{{
    {ClassificationProvider::Remote, QLatin1String("remote")},
    {ClassificationProvider::Learned, QLatin1String("learned")},
    {ClassificationProvider::Rules, QLatin1String("rules")},
    {ClassificationProvider::Agent, QLatin1String("agent")},
}};

const EnumNameTable<ClassificationState, 3> kStateNames{{
    {ClassificationState::Pending, QLatin1String("pending")},
    {ClassificationState::Classified, QLatin1String("classified")},
    {ClassificationState::Failed, QLatin1String("failed")},
}};

} // namespace

QLatin1String classificationProviderName(ClassificationProvider provider)
{
    return enumName(kProviderNames, provider);
}

std::optional<ClassificationProvider> classificationProviderFromName(QStringView name)
{
    // Before issue 13 the learned model could only be fastText, and was named after it: in rows
    // stored then and in configured orders.
    if (name == QLatin1String("fasttext"))
        return ClassificationProvider::Learned;
    return enumFromName(kProviderNames, name);
}

QLatin1String classificationStateName(ClassificationState state)
{
    return enumName(kStateNames, state);
}
