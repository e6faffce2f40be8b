// The query-string reader: any query is either refused with named parameters or gives a filter
// within its bounds, in time linear in its length.
#include "plaintext.h"
#include "ticketdraft.h"
#include "ticketquery.h"
#include "ticketstats.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QUrlQuery query(QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size)));
    const Validated<TicketQuery> parsed = TicketQuery::fromUrlQuery(query);
    if (parsed.isValid()) {
        const TicketQuery &filter = parsed.value;
        if (filter.limit < 1 || filter.limit > TicketQuery::kMaxLimit ||
            characterCount(filter.search) > 200 || PlainText::hasControlCharacters(filter.search) ||
            filter.upToId || filter.assignee || filter.availableTo)
            std::abort();
    } else if (parsed.errors.isEmpty()) {
        std::abort();
    }
    TicketStats::daysFromUrlQuery(query);
    return 0;
}
