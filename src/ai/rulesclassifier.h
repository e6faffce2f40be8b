#pragma once

#include "prediction.h"

#include <QString>
#include <QStringView>

// The built-in classifier: a hand-written weighted English lexicon that needs no training data.
class RulesClassifier final
{
public:
    // Category, confidence and priority; the summary is left empty (see SentenceSummarizer).
    // Safe to call from several threads: the lexicon is built once and only read.
    Prediction predict(QStringView text) const;

    // Stored with each classification, so results can be traced to the lexicon that made them.
    static QString modelName();
};
