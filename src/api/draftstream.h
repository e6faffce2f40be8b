#pragma once

#include "httpstream.h"
#include "replydrafter.h"
#include "similarreplies.h"

#include <QFutureWatcher>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

// Writes one drafted reply to an API client as server-sent events while the model writes it:
// "draft" says where it comes from, "text" carries each piece, "suggestion" a reply of a similar
// answered ticket (for a local draft, or when the remote model failed before its first words),
// "error" why a remote draft failed, and "done" ends the stream. Comments keep a quiet stream's
// connection alive. A client that leaves cancels the model's request. Deletes itself once the
// connection has closed.
class DraftStream final : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::seconds kKeepAliveInterval{15};

    // Starts writing at once, on the stream's thread.
    DraftStream(HttpStream stream, std::optional<ReplyDrafter::RemoteDraft> remote,
                QList<ReplySuggestion> similar, QObject *parent = nullptr);
    ~DraftStream() override;
    Q_DISABLE_COPY_MOVE(DraftStream)

private:
    void writePart(int index);
    void remoteFinished();
    void writeSuggestions();
    void finish(bool complete);
    void send(const QString &type, const QJsonObject &data);

    HttpStream m_stream;
    QFutureWatcher<LlmStreamPart> m_remote;
    QList<ReplySuggestion> m_similar;
    QTimer m_keepAlive;
    bool m_wroteText = false;
    QString m_error;
};
