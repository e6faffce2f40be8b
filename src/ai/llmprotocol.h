#pragma once

#include "prediction.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include <variant>

// The OpenAI Chat Completions wire format: for classification, the request body this console
// sends and the strict reading of the answer; for streamed answers, the request and the reading
// of each server-sent event. Pure functions, no network.
class LlmProtocol final
{
    Q_DECLARE_TR_FUNCTIONS(LlmProtocol)

public:
    LlmProtocol() = delete;

    // Stored with every result, so a change of prompt shows in the statistics.
    static constexpr QLatin1StringView kPromptVersion{"prompt-v1"};
    // Longer tickets are cut before sending: the category is clear long before this, and
    // tokens cost money and time.
    static constexpr int kMaxTicketLength = 8000;
    static constexpr int kMaxSummaryLength = 200;

    static QString systemPrompt();
    // The JSON body for POST /chat/completions: system prompt, the (already redacted) ticket
    // as the user message, temperature 0 and response_format json_object.
    static QByteArray buildRequest(const QString &model, QStringView redactedTicket);

    // A prediction, or why the answer is not one. Accepts exactly one JSON object as the
    // message content, optionally inside one ```json fence; category technical|billing|general,
    // confidence a number in [0, 1], priority low|medium|high and a summary of one sentence
    // of at most kMaxSummaryLength characters are all required. Unknown keys are ignored.
    static std::variant<Prediction, QString> parseResponse(const QByteArray &httpBody);
    // The same checks on the message content alone.
    static std::variant<Prediction, QString> parseContent(QStringView content);
    // The server's own error message from an OpenAI-style error body, if any, shortened.
    static QString errorMessage(const QByteArray &httpBody);

    // A request for an answer streamed as it is written ("stream": true): the system prompt,
    // then the (already redacted) user message.
    static QByteArray buildStreamRequest(const QString &model, const QString &systemPrompt,
                                         const QString &userMessage, double temperature);
    struct StreamDelta
    {
        // The next piece of the answer; often empty (the first event names only the role).
        QString text;
        // The answer is complete: "[DONE]", or a finish_reason.
        bool done = false;
    };
    // One event's data from a streamed answer, or why it is not one.
    static std::variant<StreamDelta, QString> parseStreamData(QStringView data);

    // A summary states one thing: no line breaks and no second sentence after ". X".
    static bool isSingleSentence(QStringView summary);
};
