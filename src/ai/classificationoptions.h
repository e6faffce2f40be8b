#pragma once

#include "category.h"
#include "classification.h"
#include "llmsettings.h"

#include <QList>
#include <QSet>
#include <QString>

#include <chrono>

class QProcessEnvironment;
class QSettings;

// How tickets are classified: which providers in which order, when a result needs an agent's
// review, and how the queue is worked. A value type, so tests build one without settings files.
struct ClassificationOptions
{
    static constexpr double kDefaultReviewThreshold = 0.6;

    // Tried first to last; a provider that is not set up (no URL, no trained model) is skipped,
    // one that fails hands the ticket to the next and its result is marked as a fallback.
    QList<ClassificationProvider> order{ClassificationProvider::Remote,
                                        ClassificationProvider::Learned,
                                        ClassificationProvider::Rules};
    double reviewThreshold = kDefaultReviewThreshold;
    // Tickets that a local provider puts in these categories never leave the machine.
    QSet<Category> localOnlyCategories;
    // The remote provider; used when it is configured and in the order.
    LlmSettings llm;

    int batchSize = 256;
    std::chrono::milliseconds idlePollInterval{1000};
    // A failed job is retried after firstRetryDelay, doubling up to maxRetryDelay, and given up
    // (left visible as failed) after maxFailedAttempts.
    std::chrono::milliseconds firstRetryDelay{30'000};
    std::chrono::milliseconds maxRetryDelay{3'600'000};
    int maxFailedAttempts = 8;
    // How long a job taken by this node stays out of other nodes' reach. Renewed every third of
    // it while the job is worked on, so only a node that died (or lost the database for that
    // long) loses its jobs to another.
    std::chrono::milliseconds leaseDuration{60'000};
    // New agent verdicts after which the local model is retrained in the background; 0: never.
    int retrainAfterVerdicts = 50;

    static constexpr QLatin1StringView kProvidersVariable{"SUPPORT_CONSOLE_AI_PROVIDERS"};
    // Overrides leaseDuration, in seconds: for tests that kill a node, and for nodes whose
    // remote provider answers slower than the renewals can keep up with.
    static constexpr QLatin1StringView kLeaseVariable{"SUPPORT_CONSOLE_AI_LEASE_SECONDS"};

    // Reads "ai/providers" (comma-separated; SUPPORT_CONSOLE_AI_PROVIDERS overrides it),
    // "ai/review_threshold", "ai/local_only_categories", SUPPORT_CONSOLE_AI_LEASE_SECONDS, and
    // the remote provider as LlmSettings::fromEnvironment() does. Invalid entries keep the
    // defaults and are listed in errors.
    static ClassificationOptions fromSettings(const QSettings &settings,
                                              const QProcessEnvironment &environment,
                                              QStringList *errors);
};
