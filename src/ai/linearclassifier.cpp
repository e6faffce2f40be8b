#include "linearclassifier.h"

#include <tuple>

LinearClassifier::LinearClassifier(LinearModel model, QString version)
    : m_model(std::move(model))
    , m_version(std::move(version))
{}

Prediction LinearClassifier::predict(QStringView text) const
{
    Prediction prediction;
    std::tie(prediction.category, prediction.confidence) = m_model.classify(text);
    // The dataset's priorities are as noisy as its queues; the rules' urgency cues are
    // explainable and cost a few microseconds.
    prediction.priority = m_rules.predict(text).priority;
    return prediction;
}

QString LinearClassifier::modelName() const
{
    return QStringLiteral("linear-") + m_version;
}
