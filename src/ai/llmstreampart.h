#pragma once

#include <QString>

// One piece of a streamed answer (LlmClient::stream()): text as it arrives and, if the stream
// fails, a last part saying why. A stream that finishes without an error part is complete.
struct LlmStreamPart
{
    QString text;
    // Never contains the API key.
    QString error;

    bool isError() const { return !error.isEmpty(); }
};
