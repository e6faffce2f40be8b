#include "eventscontroller.h"

#include "eventhub.h"
#include "urlqueryreader.h"

namespace {

// Positions are decimal digits only: a sign, a space or an exponent is someone else's id.
std::optional<qint64> position(const QString &text)
{
    if (text.isEmpty() || text.size() > 18 ||
        !std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    return text.toLongLong();
}

} // namespace

EventsController::EventsController(EventHub &hub)
    : m_hub(hub)
{}

ApiResult EventsController::subscribe(const QUrlQuery &query, const QByteArray &lastEventId,
                                      Scopes scopes)
{
    UrlQueryReader reader(query, {QStringLiteral("after")});
    std::optional<qint64> after;
    if (const std::optional<QString> text = reader.text(QStringLiteral("after"))) {
        after = position(*text);
        if (!after)
            reader.addError(QStringLiteral("after"),
                            QStringLiteral("must be an event id: digits only"));
    }
    // A reconnecting browser sends the last id it saw; it wins over the URL it reconnects to.
    if (!lastEventId.trimmed().isEmpty()) {
        after = position(QString::fromLatin1(lastEventId.trimmed()));
        if (!after)
            reader.addError(QStringLiteral("Last-Event-ID"),
                            QStringLiteral("must be an event id: digits only"));
    }
    if (!reader.errors().isEmpty())
        return ApiError::invalidParameters(reader.errors());

    // Internal notes are the team's: told only to tokens that may write them, as listed.
    const bool seesInternal = scopes.testFlag(Scope::RepliesWrite);
    return ApiReply::eventStream(
        [hub = &m_hub, after, seesInternal](HttpStream &&stream, QObject *) {
            hub->subscribe(std::move(stream), after, seesInternal);
        });
}
