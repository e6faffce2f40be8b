// The event-stream reader that reads a remote model's streamed answer: any bytes, cut anywhere,
// give the same events as in one piece, and nothing is kept beyond the last line end.
#include "sseparser.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray stream(reinterpret_cast<const char *>(data), qsizetype(size));
    SseParser whole;
    const QList<SseEvent> expected = whole.feed(stream);
    const qsizetype cut = size == 0 ? 0 : qsizetype(data[0]) % qsizetype(size + 1);
    SseParser pieces;
    QList<SseEvent> events = pieces.feed(stream.left(cut));
    events += pieces.feed(stream.mid(cut));
    if (events != expected || pieces.retryMs() != whole.retryMs())
        std::abort();
    const qsizetype lastEnd = std::max(stream.lastIndexOf('\n'), stream.lastIndexOf('\r'));
    if (whole.pendingBytes() != stream.size() - lastEnd - 1)
        std::abort();
    return 0;
}
