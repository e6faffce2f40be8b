// Ticket JSON: any document either is refused with named fields or gives a ticket whose text is
// plain text within its limits, and a change that names only what it changes.
#include "plaintext.h"
#include "ticketjson.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!document.isObject())
        return 0;
    const QJsonObject object = document.object();
    const Validated<TicketDraft> draft = TicketJson::draftFromJson(object, TicketSource::Api);
    if (draft.isValid()) {
        const TicketDraft &ticket = draft.value;
        if (!ticket.validate().isEmpty() || PlainText::hasControlCharacters(ticket.body) ||
            PlainText::isBlank(ticket.body) ||
            characterCount(ticket.body) > TicketDraft::kMaxBodyLength ||
            characterCount(ticket.subject) > TicketDraft::kMaxSubjectLength)
            std::abort();
    } else if (draft.errors.isEmpty()) {
        std::abort();
    }
    const Validated<TicketChange> change = TicketJson::changeFromJson(object);
    if (change.isValid() && change.value.isEmpty())
        std::abort();
    return 0;
}
