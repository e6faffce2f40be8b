#pragma once

#include "httprequest.h"

#include <QString>

#include <memory>

struct http_parser;

// Reads HTTP/1.x requests from a connection's bytes with Debian's http-parser, strictly (RFC
// 9112: one Content-Length, never beside Transfer-Encoding, HTTP/1.0 or 1.1 only) and within
// limits, one request at a time: it stops after each whole request, so a connection answers it
// before reading the next and answers stay in request order. After a problem it reads nothing
// more; the connection answers it and closes, since the framing can no longer be trusted.
class HttpRequestParser final
{
public:
    // The most a URL or a head may be configured to: the settings' ceiling.
    static constexpr qsizetype kLargestHeadBytes = 1024 * 1024;

    struct Limits
    {
        // The request-target: longer is 414.
        qsizetype maxTargetBytes = 8 * 1024;
        // The request line and every header: more is 431.
        qsizetype maxHeadBytes = 32 * 1024;
        int maxHeaderCount = 64;
        // Refused by Content-Length before it is read, or by the bytes of a chunked body as they
        // come, so a large body is never held whole: 413.
        qsizetype maxBodyBytes = 64 * 1024;
    };

    enum class Problem {
        None,
        Malformed,          // 400
        TargetTooLong,      // 414
        HeadTooLarge,       // 431
        BodyTooLarge,       // 413
        UnknownMethod,      // 501
        UnsupportedVersion, // 505
    };

    explicit HttpRequestParser(const Limits &limits);
    ~HttpRequestParser();
    Q_DISABLE_COPY_MOVE(HttpRequestParser)

    // Reads what belongs to the current request and returns how many bytes it took: it stops
    // after a whole request (see hasRequest()) and at a problem.
    qsizetype feed(QByteArrayView bytes);

    bool hasRequest() const { return m_complete; }
    // The whole request; the parser then reads the next one.
    HttpRequest takeRequest();
    // The current request's head has been read; its body may still be coming.
    bool hasHead() const { return m_headDone; }
    // Its head, as far as read; the body is filled in as it arrives.
    const HttpRequest &current() const { return m_request; }
    // Nothing of a next request has been read.
    bool isIdle() const { return !m_started; }

    Problem problem() const { return m_problem; }
    // Why, in words fit for the client.
    QString problemText() const { return m_problemText; }

private:
    friend struct HttpRequestParserCallbacks;
    void reset();
    int fail(Problem problem, const QString &text);
    // False at a CR not followed by LF in the head, which http-parser, built lenient, reads as
    // a line end where a proxy might not (RFC 9112 2.2), and at a folded header line.
    bool headHasOnlyCrLf(QByteArrayView bytes);

    Limits m_limits;
    std::unique_ptr<http_parser> m_parser;
    HttpRequest m_request;
    qsizetype m_headBytes = 0;
    // The header being read: its value follows its name, each possibly in pieces.
    bool m_readingValue = false;
    // Where headHasOnlyCrLf() is in the head: after a CR, at a line's start, and whether a CR
    // began the line (then its LF ends the head).
    bool m_afterCr = false;
    bool m_atLineStart = false;
    bool m_blankLine = false;
    bool m_headScanned = false;
    bool m_started = false;
    bool m_headDone = false;
    bool m_complete = false;
    Problem m_problem = Problem::None;
    QString m_problemText;
};
