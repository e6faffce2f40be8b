#pragma once

#include "learnedmodelstore.h"
#include "localclassifier.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>

// A snapshot of the classification pipeline for /health and the status bar.
struct ClassificationStatus
{
    struct Provider
    {
        QString name;
        // "ready", "disabled" (not set up or not in the order), "no_model", or the remote
        // circuit breaker's "closed", "open", "half_open".
        QString state;
        QString model;
        // The last failure, for an operator to read; never contains a secret.
        QString lastError;
    };

    bool running = false;
    QList<Provider> providers;
    qint64 pending = 0;
    qint64 failed = 0;
    qint64 classifiedSinceStart = 0;
    // The learned model in use, with how it measured against the rules when it was trained.
    std::optional<LearnedModelStore::Summary> learnedModel;
    // What suggests a category while a ticket is being written: the learned model in use, else
    // the rules with their calibration. Safe to call from any thread.
    std::shared_ptr<const LocalClassifier> suggester;
};

Q_DECLARE_METATYPE(ClassificationStatus)
