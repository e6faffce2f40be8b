#include "draftstream.h"

#include "jsonkeys.h"
#include "ssewriter.h"
#include "ticketmessage.h"

#include <QJsonDocument>

DraftStream::DraftStream(HttpStream stream, std::optional<ReplyDrafter::RemoteDraft> remote,
                         QList<ReplySuggestion> similar, QObject *parent)
    : QObject(parent)
    , m_stream(std::move(stream))
    , m_similar(std::move(similar))
{
    if (m_stream.isGone()) {
        if (remote)
            remote->stream.cancel();
        deleteLater();
        return;
    }
    m_stream.onClosed(this, [this] {
        m_remote.future().cancel();
        deleteLater();
    });
    m_keepAlive.setInterval(kKeepAliveInterval);
    connect(&m_keepAlive, &QTimer::timeout, this,
            [this] { m_stream.write(SseWriter::comment(QStringLiteral("keep-alive"))); });
    m_keepAlive.start();

    if (!remote) {
        send(QStringLiteral("draft"), {{JsonKey::provider, DraftOrigin::kLocalProvider},
                                       {JsonKey::model, DraftOrigin::kLocalModel}});
        writeSuggestions();
        finish(true);
        return;
    }
    send(QStringLiteral("draft"),
         {{JsonKey::provider, DraftOrigin::kRemoteProvider}, {JsonKey::model, remote->model}});
    connect(&m_remote, &QFutureWatcherBase::resultReadyAt, this, &DraftStream::writePart);
    connect(&m_remote, &QFutureWatcherBase::finished, this, &DraftStream::remoteFinished);
    m_remote.setFuture(remote->stream);
}

DraftStream::~DraftStream()
{
    m_remote.future().cancel();
}

void DraftStream::writePart(int index)
{
    const LlmStreamPart part = m_remote.resultAt(index);
    if (part.isError()) {
        m_error = part.error;
        return;
    }
    if (part.text.isEmpty())
        return;
    m_wroteText = true;
    send(QStringLiteral("text"), {{JsonKey::text, part.text}});
}

void DraftStream::remoteFinished()
{
    if (m_remote.isCanceled() && m_error.isEmpty())
        return; // the client left
    if (!m_error.isEmpty()) {
        send(QStringLiteral("error"), {{JsonKey::message, m_error}});
        // Nothing came: the replies of similar tickets are the next best thing, as in the window.
        if (!m_wroteText)
            writeSuggestions();
    }
    finish(m_error.isEmpty());
}

void DraftStream::writeSuggestions()
{
    for (const ReplySuggestion &suggestion : std::as_const(m_similar)) {
        send(QStringLiteral("suggestion"), {
                                               {JsonKey::ticketId, suggestion.ticketId},
                                               {JsonKey::subject, suggestion.subject},
                                               {JsonKey::similarity, suggestion.similarity},
                                               {JsonKey::reply, suggestion.reply},
                                           });
    }
}

void DraftStream::finish(bool complete)
{
    send(QStringLiteral("done"), {{JsonKey::complete, complete}});
    m_keepAlive.stop();
    m_stream.end();
}

void DraftStream::send(const QString &type, const QJsonObject &data)
{
    m_stream.write(SseWriter::event(
        type, QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact))));
}
