#pragma once

#include "prediction.h"

#include <QString>
#include <QStringView>

// A classifier that runs in this process: synchronous, fast, and safe to call from several
// threads at once, so the classification pool can share one instance.
class LocalClassifier
{
public:
    virtual ~LocalClassifier() = default;

    // Category, confidence and priority; the summary is left empty (see SentenceSummarizer).
    virtual Prediction predict(QStringView text) const = 0;

    // The model that made the result, e.g. "rules-v1" or "fasttext-20261122-0431".
    virtual QString modelName() const = 0;
    // The model's version (file build, lexicon revision), so a result can be traced and re-run.
    virtual QString modelVersion() const { return QString(); }
};
