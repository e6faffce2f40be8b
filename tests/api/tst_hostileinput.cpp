// An attacker's catalogue against the real server: each row is bytes a hostile or careless
// client sends, over a raw socket, and what must come back. Every row also checks that the
// server still answers and that nothing but what the row expects was stored.

#include "rawexchange.h"
#include "runningserver.h"
#include "ticketrepository.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr QByteArrayView kJson = "Content-Type: application/json\r\n";

QByteArray post(const QByteArray &body, const QByteArray &headers = kJson.toByteArray(),
                const QByteArray &target = "/requests")
{
    return "POST " + target + " HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n" +
           headers + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray get(const QByteArray &target, const QByteArray &headers = {},
               const QByteArray &method = "GET")
{
    return method + ' ' + target +
           " HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n" + headers + "\r\n";
}

QByteArray text(const QByteArray &value)
{
    return R"({"text": ")" + value + R"("})";
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void catalogue_data();
    void catalogue();

private:
    qint64 ticketCount() const;

    std::unique_ptr<RunningServer> m_server;
};

void TestHostileInput::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestHostileInput::cleanup()
{
    m_server.reset();
}

qint64 TestHostileInput::ticketCount() const
{
    return TicketRepository(m_server->database()).count(TicketQuery{});
}

void TestHostileInput::catalogue_data()
{
    QTest::addColumn<QByteArray>("request");
    // One status per answer expected, in order.
    QTest::addColumn<QList<int>>("statuses");
    // The last answer's error code; empty for a success.
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<int>("stored");
    QTest::addColumn<QList<bool>>("bodiless");

    const auto row = [](const char *name, const QByteArray &request, QList<int> statuses,
                        const QString &code = {}, bool closes = false, int stored = 0,
                        QList<bool> bodiless = {}) {
        QTest::newRow(name) << request << statuses << code << closes << stored << bodiless;
    };
    const QString malformed = u"malformed_json"_s;
    const QString invalid = u"validation_failed"_s;
    const QString parameter = u"invalid_parameter"_s;
    const QString badRequest = u"bad_request"_s;

    // Malformed JSON, wrong types, missing and extra fields.
    row("truncated JSON", post(R"({"text": "a)"), {400}, malformed);
    row("empty body", post(""), {400}, malformed);
    row("two JSON values", post(R"({"text": "a"} {"text": "b"})"), {400}, malformed);
    row("JSON array", post(R"(["text"])"), {422}, invalid);
    row("JSON number", post("42"), {422}, invalid);
    row("JSON null", post("null"), {422}, invalid);
    row("JSON string", post(R"("printer broken")"), {422}, invalid);
    row("nesting 60,000 deep", post(QByteArray(60000, '[')), {400}, malformed);
    row("text a number", post(R"({"text": 42})"), {422}, invalid);
    row("text an array", post(R"({"text": ["a"]})"), {422}, invalid);
    row("text null", post(R"({"text": null})"), {422}, invalid);
    row("text an object", post(R"({"text": {"$gt": ""}})"), {422}, invalid);
    row("no fields", post("{}"), {422}, invalid);
    row("extra field", post(R"({"text": "a", "priority": "high"})"), {422}, invalid);
    row("subject without body", post(R"({"subject": "a"})"), {422}, invalid);
    row("both forms", post(R"({"text": "a", "subject": "b", "body": "c"})"), {422}, invalid);
    row("category chosen by the client", post(R"({"text": "a", "category": "billing"})"), {422},
        invalid);

    // Sizes, NUL and control characters, invalid UTF-8 and surrogates, markup.
    row("subject of 201", post(R"({"subject": ")" + QByteArray(201, 's') + R"(", "body": "b"})"),
        {422}, invalid);
    row("text of 20,001", post(text(QByteArray(20001, 't'))), {422}, invalid);
    row("text of 20,000", post(text(QByteArray(20000, 't'))), {201}, {}, false, 1);
    row("raw NUL in a string", post(text(QByteArray("a\0b", 3))), {400}, malformed);
    row("raw tab in a string", post(text("a\tb")), {400}, malformed);
    row("escaped NUL", post(text(R"(a\u0000b)")), {422}, invalid);
    row("only escaped NULs", post(text(R"(\u0000\u0000)")), {422}, invalid);
    row("terminal escape", post(text(R"(\u001b[2J\u001b[H)")), {422}, invalid);
    row("C1 control", post(text(R"(a\u009bb)")), {422}, invalid);
    row("only zero-width spaces", post(text(R"(\u200b\u200b\u2060)")), {422}, invalid);
    row("only white space", post(text(R"( \t\n )")), {422}, invalid);
    row("lone high surrogate", post(text(R"(a\ud800b)")), {422}, invalid);
    row("lone low surrogate", post(text(R"(a\udc00b)")), {422}, invalid);
    row("invalid UTF-8", post(text("caf\xff")), {400}, malformed);
    row("overlong UTF-8", post(text("\xc0\xaf")), {400}, malformed);
    row("UTF-16 body", post(QByteArray("{\0\"\0t\0", 7)), {400}, malformed);
    row("markup is stored as text", post(text(R"(<script>alert(1)</script><b>hi</b>)")), {201}, {},
        false, 1);
    row("SQL is stored as text", post(text(R"('); DROP TABLE tickets; --)")), {201}, {}, false, 1);
    row("emoji and RTL marks", post(text("\xf0\x9f\x98\x80 \xe2\x80\x8f\xd7\xa9\xd7\x9c")), {201},
        {}, false, 1);

    // Content types.
    const QString mediaType = u"unsupported_media_type"_s;
    row("text/plain", post(text("a"), "Content-Type: text/plain\r\n"), {415}, mediaType);
    row("no content type", post(text("a"), ""), {415}, mediaType);
    row("form encoded", post("text=a", "Content-Type: application/x-www-form-urlencoded\r\n"),
        {415}, mediaType);
    row("JSON with charset", post(text("a"), "Content-Type: application/json; charset=utf-8\r\n"),
        {201}, {}, false, 1);
    row("JSON upper case", post(text("a"), "Content-Type: APPLICATION/JSON\r\n"), {201}, {}, false,
        1);

    // Idempotency abuse.
    row("empty idempotency key", post(text("a"), kJson.toByteArray() + "Idempotency-Key:\r\n"),
        {400}, parameter);
    row("idempotency key of 256",
        post(text("a"), kJson.toByteArray() + "Idempotency-Key: " + QByteArray(256, 'k') + "\r\n"),
        {400}, parameter);
    row("idempotency key with a control",
        post(text("a"), kJson.toByteArray() + "Idempotency-Key: a\x01b\r\n"), {400}, badRequest,
        true);
    const QByteArray keyed = kJson.toByteArray() + "Idempotency-Key: k-1\r\n";
    row("idempotency key reused with another body", post(text("a"), keyed) + post(text("b"), keyed),
        {201, 409}, u"conflict"_s, false, 1);
    row("idempotency key retried", post(text("a"), keyed) + post(text("a"), keyed), {201, 201}, {},
        false, 1);
    row("two idempotency keys",
        post(text("a"), keyed + "Idempotency-Key: k-2\r\n") + get("/requests?limit=1"), {201, 200},
        {}, false, 1);

    // Prefer abuse: ignored, never an error, never a hang.
    row("wait not a number", post(text("a"), kJson.toByteArray() + "Prefer: wait=abc\r\n"), {201},
        {}, false, 1);
    row("wait negative", post(text("a"), kJson.toByteArray() + "Prefer: wait=-5\r\n"), {201}, {},
        false, 1);
    row("wait huge", post(text("a"), kJson.toByteArray() + "Prefer: wait=99999999999\r\n"), {201},
        {}, false, 1);
    row("wait twice", post(text("a"), kJson.toByteArray() + "Prefer: wait=1\r\nPrefer: wait=2\r\n"),
        {201}, {}, false, 1);
    row("prefer garbage", post(text("a"), kJson.toByteArray() + "Prefer: ;;==,,\r\n"), {201}, {},
        false, 1);

    // SQL and full-text syntax in searches, absurd ids and page sizes.
    row("search SQL", get("/requests?q=%27%20OR%201%3D1%20--"), {200});
    row("search quote", get("/requests?q=%22unterminated"), {200});
    row("search FTS operators", get("/requests?q=NEAR(a%20b)%20OR%20*%20a:b%20-c%20%5E"), {200});
    row("search only punctuation", get("/requests?q=%25%25%25"), {200});
    row("search NUL", get("/requests?q=a%00b"), {400}, parameter);
    row("search of 201", get("/requests?q=" + QByteArray(201, 'q')), {400}, parameter);
    row("search invalid UTF-8", get("/requests?q=%ff%fe"), {200});
    row("id beyond 64 bits", get("/requests/99999999999999999999"), {404}, u"not_found"_s);
    row("id negative", get("/requests/-1"), {404}, u"not_found"_s);
    row("id hexadecimal", get("/requests/0x10"), {404}, u"not_found"_s);
    row("id exponent", get("/requests/1e3"), {404}, u"not_found"_s);
    row("id with spaces", get("/requests/%201"), {404}, u"not_found"_s);
    row("limit zero", get("/requests?limit=0"), {400}, parameter);
    row("limit a million", get("/requests?limit=1000000"), {400}, parameter);
    row("limit beyond 64 bits", get("/requests?limit=99999999999999999999"), {400}, parameter);
    row("cursor garbage", get("/requests?cursor=AAAA"), {400}, parameter);
    row("33 parameters", get("/requests?" + QByteArrayList(33, "limit=5").join('&')), {400},
        parameter);
    row("stats days absurd", get("/stats?days=100000"), {400}, parameter);

    // Path tricks: the path is matched as sent, never decoded into another one.
    row("encoded slash", get("/requests%2f1"), {404}, u"not_found"_s);
    row("double slash", get("//requests"), {404}, u"not_found"_s);
    row("trailing slash", get("/requests/"), {404}, u"not_found"_s);
    row("dot segments", get("/requests/../stats"), {404}, u"not_found"_s);
    row("encoded dots", get("/%2e%2e/requests"), {404}, u"not_found"_s);
    row("matrix parameter", get("/requests;a=1"), {404}, u"not_found"_s);
    row("fragment", get("/requests#x"), {400}, badRequest, true);
    row("absolute form", get("http://evil.example/requests"), {400}, badRequest, true);
    row("backslash", get("/requests\\1"), {404}, u"not_found"_s);

    // Methods.
    row("TRACE", get("/requests", {}, "TRACE"), {405}, u"method_not_allowed"_s);
    row("DELETE", get("/requests/1", {}, "DELETE"), {405}, u"method_not_allowed"_s);
    row("PUT", get("/requests", {}, "PUT"), {405}, u"method_not_allowed"_s);
    row("PROPFIND", get("/requests", {}, "PROPFIND"), {405}, u"method_not_allowed"_s);
    row("FOO", get("/requests", {}, "FOO"), {501}, u"not_implemented"_s, true);
    row("lower-case get", get("/requests", {}, "get"), {501}, u"not_implemented"_s, true);
    row("HEAD then GET", get("/requests", {}, "HEAD") + get("/requests"), {200, 200}, {}, false, 0,
        {true, false});
    row("OPTIONS", get("/requests", {}, "OPTIONS"), {204});

    // Framing, pipelining, oversized heads and bodies.
    const QByteArray head = "POST /requests HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer "
                            "{token}\r\nContent-Type: application/json\r\n";
    row("two differing lengths",
        head + "Content-Length: 12\r\nContent-Length: 2\r\n\r\n" + text("a").left(12), {400},
        badRequest, true);
    row("length and chunked",
        head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
            get("/requests"),
        {400}, badRequest, true);
    row("chunked then not", head + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", {400},
        badRequest, true);
    row("negative length", head + "Content-Length: -12\r\n\r\n" + text("a"), {400}, badRequest,
        true);
    row("length with a sign", head + "Content-Length: +12\r\n\r\n" + text("a"), {400}, badRequest,
        true);
    row("chunked body",
        head + "Transfer-Encoding: chunked\r\n\r\n5\r\n" + text("a").left(5) + "\r\n" +
            QByteArray::number(text("a").size() - 5, 16) + "\r\n" + text("a").mid(5) +
            "\r\n0\r\n\r\n",
        {201}, {}, false, 1);
    row("body of 64 KiB and one byte", post(text(QByteArray(64 * 1024, 'x'))), {413},
        u"payload_too_large"_s, true);
    row("body of 100 MB announced", head + "Content-Length: 104857600\r\n\r\n", {413},
        u"payload_too_large"_s, true);
    row("chunked body over the limit",
        head + "Transfer-Encoding: chunked\r\n\r\n10001\r\n" + QByteArray(0x10001, 'x') + "\r\n",
        {413}, u"payload_too_large"_s, true);
    row("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: {host}\r\n\r\n", {505},
        u"http_version_not_supported"_s, true);
    row("HTTP/1.0 is answered and closed", "GET /health HTTP/1.0\r\nHost: {host}\r\n\r\n", {200},
        {}, true);
    row("Connection: close", get("/health", "Connection: close\r\n"), {200}, {}, true);
    row("no Host", "GET /health HTTP/1.1\r\n\r\n", {400}, badRequest, true);
    row("two Hosts", "GET /health HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\n\r\n", {400},
        badRequest, true);
    row("foreign Host", "GET /requests HTTP/1.1\r\nHost: evil.example\r\n\r\n", {421},
        u"misdirected_request"_s);
    row("space before the colon", get("/health", "X-A : 1\r\n"), {400}, badRequest, true);
    row("NUL in a header", get("/health", QByteArray("X-A: a\0b\r\n", 10)), {400}, badRequest,
        true);
    row("bare CR in a header", get("/health", "X-A: a\rb\r\n"), {400}, badRequest, true);
    row("folded header", get("/health", "X-A: a\r\n b\r\n"), {400}, badRequest, true);
    row("raw UTF-8 in the path", get("/requests?q=caf\xc3\xa9"), {400}, badRequest, true);
    row("header of 40 KiB", get("/health", "X-A: " + QByteArray(40 * 1024, 'a') + "\r\n"), {431},
        u"header_fields_too_large"_s, true);
    row("100 headers", get("/health", QByteArrayList(100, "X-A: 1\r\n").join()), {431},
        u"header_fields_too_large"_s, true);
    row("URL of 9 KiB", get("/requests?q=" + QByteArray(9 * 1024, 'a')), {414}, u"uri_too_long"_s,
        true);
    row("80,000 parameters", get("/requests?" + QByteArrayList(80000, "a=1").join('&')), {414},
        u"uri_too_long"_s, true);
    row("TLS ClientHello", QByteArray::fromHex("16030100f4010000f00303") + QByteArray(200, '\0'),
        {501}, u"not_implemented"_s, true);
    row("binary garbage", QByteArray("\x00\xff\x10\x80 junk\r\n\r\n", 12), {501},
        u"not_implemented"_s, true);
    row("answers in request order", post(text("first")) + get("/requests?limit=5") + get("/health"),
        {201, 200, 200}, {}, false, 1);

    // Credentials.
    row("no token", "GET /requests HTTP/1.1\r\nHost: {host}\r\n\r\n", {401}, u"unauthorized"_s);
    row("wrong token",
        "GET /requests HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer sct_nope\r\n\r\n", {401},
        u"unauthorized"_s);
    row("basic credentials",
        "GET /requests HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic YTpi\r\n\r\n", {401},
        u"unauthorized"_s);
    row("token in the query", "GET /requests?access_token={token} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        {401}, u"unauthorized"_s);
}

void TestHostileInput::catalogue()
{
    QFETCH(QByteArray, request);
    QFETCH(QList<int>, statuses);
    QFETCH(QString, code);
    QFETCH(bool, closes);
    QFETCH(int, stored);
    QFETCH(QList<bool>, bodiless);

    const qint64 before = ticketCount();
    request.replace("{host}", QByteArray("127.0.0.1:" + QByteArray::number(m_server->port())));
    request.replace("{token}", m_server->token());
    const RawExchange::Result result =
        RawExchange(m_server->port()).run(request, int(statuses.size()), 5s, bodiless, closes);

    QList<int> answered;
    for (const RawExchange::Answer &answer : result.answers)
        answered.append(answer.status);
    QCOMPARE(answered, statuses);
    QVERIFY2(result.leftover.isEmpty(), result.leftover.left(200).constData());
    const RawExchange::Answer &last = result.answers.last();
    // Every error is the JSON envelope, whoever refused it: the connection or a handler.
    if (last.status >= 400) {
        QCOMPARE(last.errorCode(), code);
        QVERIFY(last.header("Content-Type").startsWith("application/json"));
    }
    QCOMPARE(result.closed, closes);
    QCOMPARE(ticketCount() - before, stored);

    // The server is still there for everyone else.
    const RawExchange::Result health =
        RawExchange(m_server->port())
            .run("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server->port()) +
                     "\r\n\r\n",
                 1, 5s);
    QCOMPARE(health.answers.size(), 1);
    QCOMPARE(health.answers.first().status, 200);
}

QTEST_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
