#include "httprequestparser.h"

#include <algorithm>
#include <http_parser.h>

namespace {

// RFC 9110's tchar: what a method or a header name is made of. http-parser, built lenient,
// would also take a space, and "Content-Length : 5" read as another header smuggles a body.
bool isTokenCharacter(char c)
{
    static constexpr QByteArrayView kPunctuation = "!#$%&'*+-.^_`|~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kPunctuation.contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenCharacter);
}

// A header value holds visible characters, spaces and tabs; a NUL or other control may mean
// different things to a proxy in front and to this server.
bool isFieldValue(QByteArrayView text)
{
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && byte != '\t') || byte == 0x7f;
    });
}

// Origin-form ("/path?query") only, printable ASCII: raw UTF-8 must come percent-encoded. The
// absolute form is for proxies, and "*" for a server-wide OPTIONS, neither of which this is.
bool isOriginForm(QByteArrayView target)
{
    return target.startsWith('/') && std::all_of(target.begin(), target.end(), [](char c) {
               const auto byte = static_cast<unsigned char>(c);
               return byte > 0x20 && byte < 0x7f && c != '#';
           });
}

} // namespace

// http-parser calls plain functions; these reach the parser through its data pointer.
struct HttpRequestParserCallbacks
{
    static HttpRequestParser &self(http_parser *parser)
    {
        return *static_cast<HttpRequestParser *>(parser->data);
    }

    static int messageBegin(http_parser *parser)
    {
        self(parser).m_started = true;
        return 0;
    }

    static int url(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &that = self(parser);
        that.m_request.target.append(at, qsizetype(length));
        that.m_headBytes += qsizetype(length);
        if (that.m_request.target.size() > that.m_limits.maxTargetBytes) {
            return that.fail(HttpRequestParser::Problem::TargetTooLong,
                             QStringLiteral("The URL is longer than %1 bytes.")
                                 .arg(that.m_limits.maxTargetBytes));
        }
        return 0;
    }

    static int headerField(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &that = self(parser);
        QList<std::pair<QByteArray, QByteArray>> &headers = that.m_request.headers;
        if (headers.isEmpty() || that.m_readingValue) {
            if (headers.size() == that.m_limits.maxHeaderCount) {
                return that.fail(HttpRequestParser::Problem::HeadTooLarge,
                                 QStringLiteral("The request has more than %1 headers.")
                                     .arg(that.m_limits.maxHeaderCount));
            }
            headers.append({QByteArray(), QByteArray("")});
            that.m_readingValue = false;
        }
        headers.last().first.append(at, qsizetype(length));
        return countHead(that, length);
    }

    static int headerValue(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &that = self(parser);
        that.m_readingValue = true;
        that.m_request.headers.last().second.append(at, qsizetype(length));
        return countHead(that, length);
    }

    static int countHead(HttpRequestParser &that, size_t length)
    {
        that.m_headBytes += qsizetype(length);
        if (that.m_headBytes > that.m_limits.maxHeadBytes) {
            return that.fail(HttpRequestParser::Problem::HeadTooLarge,
                             QStringLiteral("The request's headers are larger than %1 bytes.")
                                 .arg(that.m_limits.maxHeadBytes));
        }
        return 0;
    }

    static int headersComplete(http_parser *parser)
    {
        using Problem = HttpRequestParser::Problem;
        HttpRequestParser &that = self(parser);
        HttpRequest &request = that.m_request;
        that.m_headDone = true;
        request.method = http_method_str(static_cast<http_method>(parser->method));
        request.versionMinor = parser->http_minor;
        // Nothing is upgraded here; after answering, the connection closes rather than guess
        // what the client sends next.
        request.keepAlive = http_should_keep_alive(parser) != 0 && !(parser->flags & F_UPGRADE);
        if (parser->http_major != 1 || parser->http_minor > 1) {
            return that.fail(Problem::UnsupportedVersion,
                             QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are served."));
        }
        if (!isOriginForm(request.target)) {
            return that.fail(Problem::Malformed,
                             QStringLiteral("The request target must be a path starting with "
                                            "'/', in printable ASCII, percent-encoded."));
        }
        int hosts = 0;
        for (auto &[name, value] : request.headers) {
            value = value.trimmed();
            if (!isToken(name) || !isFieldValue(value)) {
                return that.fail(Problem::Malformed,
                                 QStringLiteral("A header's name or value holds characters "
                                                "that HTTP does not allow there."));
            }
            if (name.compare("Host", Qt::CaseInsensitive) == 0)
                ++hosts;
        }
        // RFC 9112 3.2: exactly one Host in HTTP/1.1; two could each mean another site.
        if (hosts > 1 || (hosts == 0 && request.versionMinor == 1)) {
            return that.fail(Problem::Malformed,
                             QStringLiteral("An HTTP/1.1 request has exactly one Host header."));
        }
        if ((parser->flags & F_CONTENTLENGTH) &&
            parser->content_length > quint64(that.m_limits.maxBodyBytes)) {
            return that.fail(Problem::BodyTooLarge,
                             QStringLiteral("The request body is larger than %1 KiB.")
                                 .arg(that.m_limits.maxBodyBytes / 1024));
        }
        return 0;
    }

    static int body(http_parser *parser, const char *at, size_t length)
    {
        HttpRequestParser &that = self(parser);
        if (that.m_request.body.size() + qsizetype(length) > that.m_limits.maxBodyBytes) {
            return that.fail(HttpRequestParser::Problem::BodyTooLarge,
                             QStringLiteral("The request body is larger than %1 KiB.")
                                 .arg(that.m_limits.maxBodyBytes / 1024));
        }
        that.m_request.body.append(at, qsizetype(length));
        return 0;
    }

    static int messageComplete(http_parser *parser)
    {
        self(parser).m_complete = true;
        // Stop here: the next request waits until this one is answered.
        http_parser_pause(parser, 1);
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings callbacks = [] {
            http_parser_settings s;
            http_parser_settings_init(&s);
            s.on_message_begin = messageBegin;
            s.on_url = url;
            s.on_header_field = headerField;
            s.on_header_value = headerValue;
            s.on_headers_complete = headersComplete;
            s.on_body = body;
            s.on_message_complete = messageComplete;
            return s;
        }();
        return callbacks;
    }
};

HttpRequestParser::HttpRequestParser(const Limits &limits)
    : m_limits(limits)
    , m_parser(std::make_unique<http_parser>())
{
    // http-parser stops every head at a size compiled in (80 KiB), a setting of the whole
    // process. The limits that count are this parser's own, so it is told the largest any
    // may be, with room for what it counts and they do not (line breaks, separators).
    static const bool headCeilingRaised = [] {
        http_parser_set_max_header_size(uint32_t(2 * kLargestHeadBytes));
        return true;
    }();
    Q_UNUSED(headCeilingRaised)
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;
}

HttpRequestParser::~HttpRequestParser() = default;

qsizetype HttpRequestParser::feed(QByteArrayView bytes)
{
    if (m_complete || m_problem != Problem::None || bytes.isEmpty())
        return 0;
    if (!headHasOnlyCrLf(bytes)) {
        fail(Problem::Malformed, QStringLiteral("The request's head holds a CR without an LF, "
                                                "or a header folded over two lines."));
        return 0;
    }
    const size_t read = http_parser_execute(m_parser.get(), &HttpRequestParserCallbacks::settings(),
                                            bytes.data(), size_t(bytes.size()));
    const auto error = static_cast<http_errno>(m_parser->http_errno);
    if (error != HPE_OK && error != HPE_PAUSED && m_problem == Problem::None) {
        switch (error) {
        case HPE_INVALID_METHOD:
            fail(Problem::UnknownMethod, QStringLiteral("The method is not one HTTP defines."));
            break;
        case HPE_HEADER_OVERFLOW:
            fail(Problem::HeadTooLarge, QStringLiteral("The request's headers are too large."));
            break;
        case HPE_INVALID_VERSION:
            fail(Problem::UnsupportedVersion,
                 QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are served."));
            break;
        default:
            fail(Problem::Malformed, QStringLiteral("The request is not valid HTTP/1.1: %1.")
                                         .arg(QLatin1String(http_errno_description(error))));
            break;
        }
    }
    return qsizetype(read);
}

bool HttpRequestParser::headHasOnlyCrLf(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (m_headScanned)
            return true;
        if (m_afterCr) {
            if (c != '\n')
                return false;
            m_afterCr = false;
            m_headScanned = m_blankLine;
            m_atLineStart = true;
        } else if (c == '\r') {
            m_afterCr = true;
            m_blankLine = m_atLineStart;
        } else if (c == '\n') {
            m_headScanned = m_atLineStart;
            m_atLineStart = true;
        } else if (m_atLineStart && (c == ' ' || c == '\t')) {
            // A line folded into the header before it (obs-fold), which RFC 9112 5.2 lets a
            // server refuse; a proxy may have read it as a header of its own.
            return false;
        } else {
            m_atLineStart = false;
        }
    }
    return true;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    reset();
    http_parser_pause(m_parser.get(), 0);
    return request;
}

void HttpRequestParser::reset()
{
    m_request = HttpRequest();
    m_headBytes = 0;
    m_readingValue = false;
    m_afterCr = false;
    m_atLineStart = false;
    m_blankLine = false;
    m_headScanned = false;
    m_started = false;
    m_headDone = false;
    m_complete = false;
}

int HttpRequestParser::fail(Problem problem, const QString &text)
{
    if (m_problem == Problem::None) {
        m_problem = problem;
        m_problemText = text;
    }
    return -1;
}
