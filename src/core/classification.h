#pragma once

#include "category.h"
#include "priority.h"

#include <QDateTime>
#include <QLatin1String>
#include <QString>
#include <QStringView>

#include <optional>

// Who produced a classification: one of the three AI providers, or an agent confirming or
// correcting the category (which makes it training data).
enum class ClassificationProvider { Remote, Learned, Rules, Agent };

QLatin1String classificationProviderName(ClassificationProvider provider);
std::optional<ClassificationProvider> classificationProviderFromName(QStringView name);

// One verdict on a ticket, with its provenance; a ticket keeps all of them as its history.
struct Classification
{
    qint64 id = 0;
    qint64 ticketId = 0;
    Category category = Category::General;
    double confidence = 0.0;
    Priority priority = Priority::Medium;
    QString summary;
    ClassificationProvider provider = ClassificationProvider::Rules;
    QString model;
    // The model file's or the prompt's version, so a result can be traced and re-run.
    QString modelVersion;
    // True when a provider earlier in the configured order failed and this one stood in.
    bool fallback = false;
    // Requests made to the remote provider for this result (0 when it was not asked).
    int attempts = 0;
    // Confidence was under the review threshold when the result was stored.
    bool needsReview = false;
    qint64 processingMs = 0;
    QDateTime createdAt;
};

// Where a ticket's classification stands: waiting, done, or failed and waiting for a retry.
enum class ClassificationState { Pending, Classified, Failed };

QLatin1String classificationStateName(ClassificationState state);

// A ticket's entry in the classification queue while it has one.
struct ClassificationJob
{
    ClassificationState state = ClassificationState::Pending;
    int attempts = 0;
    QString lastError;
    // Null once retries are used up.
    QDateTime nextAttemptAt;
};
