// The request framing: any bytes, fed in reads of any size, never crash the parser, and what
// it hands on keeps within its limits.
#include "httprequestparser.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpRequestParser::Limits limits;
    limits.maxTargetBytes = 512;
    limits.maxHeadBytes = 2048;
    limits.maxHeaderCount = 16;
    limits.maxBodyBytes = 1024;
    HttpRequestParser parser(limits);
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte sets the size of each read, so every split is tried.
    const qsizetype step = size > 0 ? 1 + data[0] % 97 : 1;
    qsizetype offset = 0;
    for (int requests = 0; offset < bytes.size() && requests < 64;) {
        const qsizetype used =
            parser.feed(bytes.sliced(offset, std::min(step, bytes.size() - offset)));
        offset += used;
        if (parser.hasRequest()) {
            const HttpRequest request = parser.takeRequest();
            if (request.target.size() > limits.maxTargetBytes ||
                request.body.size() > limits.maxBodyBytes ||
                request.headers.size() > limits.maxHeaderCount || !request.target.startsWith('/'))
                std::abort();
            ++requests;
            continue;
        }
        if (parser.problem() != HttpRequestParser::Problem::None) {
            if (parser.problemText().isEmpty() || parser.feed("GET / HTTP/1.1\r\n\r\n") != 0)
                std::abort();
            break;
        }
        if (used == 0 && offset < bytes.size())
            std::abort(); // neither progress, nor a request, nor a problem
    }
    return 0;
}
