#pragma once

#include "settingskeys.h"

#include <QString>
#include <QUrl>

#include <chrono>

class QProcessEnvironment;
class QSettings;

// Where the remote LLM is and how patiently to talk to it. A value type; the API key only ever
// comes from the environment and is never written anywhere.
struct LlmSettings
{
    // Environment variables and QSettings keys fromEnvironment() reads.
    static constexpr QLatin1StringView kUrlVariable{"SUPPORT_CONSOLE_AI_URL"};
    static constexpr QLatin1StringView kModelVariable{"SUPPORT_CONSOLE_AI_MODEL"};
    static constexpr QLatin1StringView kKeyVariable{"SUPPORT_CONSOLE_AI_KEY"};
    static constexpr QLatin1StringView kOpenAiKeyVariable{"OPENAI_API_KEY"};
    static constexpr QLatin1StringView kUrlSettingsKey = SettingsKeys::aiUrl;
    static constexpr QLatin1StringView kModelSettingsKey = SettingsKeys::aiModel;

    // E.g. https://api.openai.com/v1 or http://localhost:11434/v1; requests go to
    // {baseUrl}/chat/completions (a URL already ending in /chat/completions is used as is).
    QUrl baseUrl;
    // E.g. gpt-4o-mini or llama3.1.
    QString model;
    // Sent as "Authorization: Bearer"; empty sends no Authorization header (Ollama, vLLM).
    QString apiKey;

    // Per attempt, from sending the request to the last byte of the answer.
    std::chrono::milliseconds timeout{15000};
    // The first try plus retries.
    int maxAttempts = 3;
    std::chrono::milliseconds backoffBase{500};
    std::chrono::milliseconds backoffMax{8000};
    // A Retry-After longer than this is not waited for: the ticket fails at once, so the
    // pipeline can fall back to the next provider instead of holding a worker.
    std::chrono::milliseconds retryAfterMax{60000};
    // Consecutive failed tickets (each after its retries) that open the breaker.
    int breakerFailureThreshold = 5;
    std::chrono::milliseconds breakerOpenDuration{30000};
    // HTTP requests in flight at once; more tickets wait in a queue.
    int maxConcurrentRequests = 4;

    // A usable http(s) URL and a model name.
    bool isConfigured() const;
    // The full endpoint URL the requests are posted to.
    QUrl chatCompletionsUrl() const;
    // For logs: URL without user info or query, model, and whether a key is set (never the key).
    QString describe() const;

    // URL and model from the environment first, else from settings (may be null); the key only
    // from SUPPORT_CONSOLE_AI_KEY, then OPENAI_API_KEY. Unset everything: not configured.
    static LlmSettings fromEnvironment(const QProcessEnvironment &environment,
                                       const QSettings *settings);
};
