#pragma once

#include "linearmodel.h"
#include "localclassifier.h"
#include "rulesclassifier.h"

// The linear model as a local classifier: its category and calibrated confidence, with the
// priority from the built-in rules' urgency cues, as the fastText classifier does. Threads may
// share one.
class LinearClassifier final : public LocalClassifier
{
public:
    // version names the trained model, e.g. "20261206-161500".
    LinearClassifier(LinearModel model, QString version);

    Prediction predict(QStringView text) const override;
    // "linear-<version>".
    QString modelName() const override;
    QString modelVersion() const override { return m_version; }
    const LinearModel &model() const { return m_model; }

private:
    LinearModel m_model;
    QString m_version;
    RulesClassifier m_rules;
};
