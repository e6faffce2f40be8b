#include "replydrafter.h"

#include "llmclient.h"

ReplyDrafter::ReplyDrafter(const ClassificationOptions &options, QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("drafting"));
    m_thread.start();
    reconfigure(options);
}

ReplyDrafter::~ReplyDrafter()
{
    reconfigure({});
    m_thread.quit();
    m_thread.wait();
}

void ReplyDrafter::reconfigure(const ClassificationOptions &options)
{
    std::shared_ptr<LlmClient> client;
    const bool remote =
        options.llm.isConfigured() && options.order.contains(ClassificationProvider::Remote);
    if (remote) {
        auto *created = new LlmClient(options.llm);
        created->moveToThread(&m_thread);
        // Deleted on its own thread, whichever thread lets go of it last.
        client.reset(created, [](LlmClient *gone) { gone->deleteLater(); });
    }
    const QMutexLocker locker(&m_mutex);
    m_options = options;
    m_client = std::move(client);
}

std::optional<ReplyDrafter::RemoteDraft> ReplyDrafter::draftRemotely(DraftContext context)
{
    std::shared_ptr<LlmClient> client;
    QSet<Category> localOnly;
    {
        const QMutexLocker locker(&m_mutex);
        client = m_client;
        localOnly = m_options.localOnlyCategories;
    }
    if (!client)
        return std::nullopt;
    const auto mustStay = [&localOnly](const std::optional<Category> &category) {
        return category && localOnly.contains(*category);
    };
    // Unclassified tickets may be of such a category too: they wait for the classifier.
    if (!localOnly.isEmpty() && !context.ticket.category)
        return std::nullopt;
    if (mustStay(context.ticket.category))
        return std::nullopt;
    context.similar.removeIf([&](const ReplySuggestion &similar) {
        return !localOnly.isEmpty() && (!similar.category || mustStay(similar.category));
    });
    return RemoteDraft{client->modelName(),
                       client->stream(ReplyPrompt::request(client->modelName(), context))};
}
