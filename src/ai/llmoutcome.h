#pragma once

#include "prediction.h"

#include <QString>

#include <optional>

// What one LlmClient::classify() call came to: a valid prediction, or why there is none.
struct LlmOutcome
{
    std::optional<Prediction> prediction;
    // Empty on success. Never contains the API key.
    QString error;
    // HTTP requests sent for this ticket; 0 when the circuit breaker refused it.
    int attempts = 0;
    // From classify() to the outcome, queueing and backoff included.
    qint64 elapsedMs = 0;

    bool succeeded() const { return prediction.has_value(); }
};
