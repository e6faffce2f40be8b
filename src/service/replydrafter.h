#pragma once

#include "classificationoptions.h"
#include "llmstreampart.h"
#include "replyprompt.h"

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <memory>
#include <optional>

class LlmClient;

// Drafts replies with the remote model the console classifies with, when one is configured and
// in the provider order, on a thread of its own. The same rules apply as to classification: the
// same redaction, no ticket whose category must stay local leaves the machine, and the same
// client code with its own circuit breaker. Its methods may be called from any thread.
class ReplyDrafter final : public QObject
{
    Q_OBJECT

public:
    explicit ReplyDrafter(const ClassificationOptions &options, QObject *parent = nullptr);
    ~ReplyDrafter() override;
    Q_DISABLE_COPY_MOVE(ReplyDrafter)

    // Drafts in progress end with an error part.
    void reconfigure(const ClassificationOptions &options);

    struct RemoteDraft
    {
        QString model;
        QFuture<LlmStreamPart> stream;
    };
    // A streamed draft, or null when no remote model may write this one: none is configured,
    // or the ticket's category must stay on this machine. Similar tickets of such categories
    // are left out of what is sent.
    std::optional<RemoteDraft> draftRemotely(DraftContext context);

private:
    QThread m_thread;
    mutable QMutex m_mutex;
    std::shared_ptr<LlmClient> m_client;
    ClassificationOptions m_options;
};
