#pragma once

#include "localclassifier.h"

#include <QString>
#include <QStringView>

// The built-in classifier: a hand-written weighted English lexicon that needs no training data.
class RulesClassifier final : public LocalClassifier
{
public:
    // Safe to call from several threads: the lexicon is built once and only read.
    Prediction predict(QStringView text) const override;

    // Versioned, so results can be traced to the lexicon that made them.
    QString modelName() const override;
    // The lexicon's revision; bumped whenever its terms or weights change.
    QString modelVersion() const override;
};
