#include "httprequestparser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Problem = HttpRequestParser::Problem;

Q_DECLARE_METATYPE(HttpRequestParser::Problem)

// The framing every request passes before the API sees it: what RFC 9112 allows, what smuggles,
// and the limits, byte by byte where a slow client would send them so.
class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsARequest();
    void readsInAnyPieces();
    void stopsAfterEachRequestOfAPipeline();
    void readsAChunkedBody();
    void keepAliveFollowsVersionAndConnection_data();
    void keepAliveFollowsVersionAndConnection();
    void refuses_data();
    void refuses();
    void emptyHeaderIsPresentButEmpty();
    void largeHeadWithinItsLimitIsRead();
    void idleOnlyBetweenRequests();

private:
    static HttpRequestParser::Limits smallLimits()
    {
        HttpRequestParser::Limits limits;
        limits.maxTargetBytes = 64;
        limits.maxHeadBytes = 256;
        limits.maxHeaderCount = 8;
        limits.maxBodyBytes = 32;
        return limits;
    }
};

void TestHttpRequestParser::readsARequest()
{
    HttpRequestParser parser(smallLimits());
    const QByteArray bytes = "POST /requests?q=a%20b HTTP/1.1\r\nHost: localhost:8080\r\n"
                             "Content-Type:  application/json  \r\nContent-Length: 2\r\n\r\n{}"_ba;
    QCOMPARE(parser.feed(bytes), bytes.size());
    QVERIFY(parser.hasRequest());
    QCOMPARE(parser.problem(), Problem::None);
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.method, "POST"_ba);
    QCOMPARE(request.target, "/requests?q=a%20b"_ba);
    QCOMPARE(request.path(), "/requests"_ba);
    QCOMPARE(request.query(), "q=a%20b"_ba);
    QCOMPARE(request.versionMinor, 1);
    QVERIFY(request.keepAlive);
    // Names keep their case and values lose the white space around them.
    QCOMPARE(request.header("content-type"), "application/json"_ba);
    QCOMPARE(request.headers.at(1).first, "Content-Type"_ba);
    QCOMPARE(request.body, "{}"_ba);
    QVERIFY(request.header("Idempotency-Key").isNull());
    QVERIFY(!parser.hasRequest());
    QVERIFY(parser.isIdle());
}

void TestHttpRequestParser::readsInAnyPieces()
{
    const QByteArray bytes = "PATCH /requests/7 HTTP/1.1\r\nHost: h\r\nIf-Match: \"3\"\r\n"
                             "Content-Length: 17\r\n\r\n{\"status\":\"open\"}"_ba;
    HttpRequestParser parser(smallLimits());
    // A byte at a time, as a slow client sends it.
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        QCOMPARE(parser.feed(QByteArrayView(bytes).sliced(i, 1)), 1);
        if (i < bytes.size() - 1)
            QVERIFY(!parser.hasRequest());
    }
    QVERIFY(parser.hasRequest());
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.method, "PATCH"_ba);
    QCOMPARE(request.header("If-Match"), "\"3\""_ba);
    QCOMPARE(request.body, "{\"status\":\"open\"}"_ba);
}

void TestHttpRequestParser::stopsAfterEachRequestOfAPipeline()
{
    const QByteArray first = "GET /requests/1 HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    const QByteArray second = "HEAD /health HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    HttpRequestParser parser(smallLimits());
    const QByteArray both = first + second;
    // The second waits until the first is answered.
    QCOMPARE(parser.feed(both), first.size());
    QCOMPARE(parser.feed(QByteArrayView(both).sliced(first.size())), 0);
    QCOMPARE(parser.takeRequest().target, "/requests/1"_ba);
    QCOMPARE(parser.feed(QByteArrayView(both).sliced(first.size())), second.size());
    const HttpRequest head = parser.takeRequest();
    QCOMPARE(head.method, "HEAD"_ba);
    QCOMPARE(head.target, "/health"_ba);
}

void TestHttpRequestParser::readsAChunkedBody()
{
    HttpRequestParser parser(smallLimits());
    const QByteArray bytes = "POST /requests HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                             "\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"_ba;
    QCOMPARE(parser.feed(bytes), bytes.size());
    QVERIFY(parser.hasRequest());
    QCOMPARE(parser.takeRequest().body, "{\"a\":1}"_ba);
}

void TestHttpRequestParser::keepAliveFollowsVersionAndConnection_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1") << "GET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << true;
    QTest::newRow("1.1 close") << "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"_ba
                               << false;
    QTest::newRow("1.1 Close, among others")
        << "GET / HTTP/1.1\r\nHost: h\r\nConnection: TE, Close\r\n\r\n"_ba << false;
    QTest::newRow("1.0") << "GET / HTTP/1.0\r\n\r\n"_ba << false;
    QTest::newRow("1.0 keep-alive")
        << "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba << true;
}

void TestHttpRequestParser::keepAliveFollowsVersionAndConnection()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser(smallLimits());
    parser.feed(head);
    QVERIFY2(parser.hasRequest(), qPrintable(parser.problemText()));
    QCOMPARE(parser.takeRequest().keepAlive, keepAlive);
}

void TestHttpRequestParser::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Problem>("problem");
    const QByteArray host = "Host: h\r\n"_ba;

    // Framing that a proxy in front might read otherwise: RFC 9112 6.3.
    QTest::newRow("two differing Content-Length")
        << "POST /requests HTTP/1.1\r\n"_ba + host +
               "Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}"_ba
        << Problem::Malformed;
    QTest::newRow("two equal Content-Length")
        << "POST /requests HTTP/1.1\r\n"_ba + host +
               "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"_ba
        << Problem::Malformed;
    QTest::newRow("Content-Length with Transfer-Encoding")
        << "POST /requests HTTP/1.1\r\n"_ba + host +
               "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"_ba
        << Problem::Malformed;
    QTest::newRow("Transfer-Encoding not ending in chunked")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Transfer-Encoding: gzip\r\n\r\nxx"_ba
        << Problem::Malformed;
    QTest::newRow("negative Content-Length")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Content-Length: -1\r\n\r\n"_ba
        << Problem::Malformed;
    QTest::newRow("Content-Length not a number")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Content-Length: 1e3\r\n\r\n"_ba
        << Problem::Malformed;
    QTest::newRow("space before the colon")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Content-Length : 2\r\n\r\n{}"_ba
        << Problem::Malformed;
    QTest::newRow("NUL in a header value")
        << "GET /health HTTP/1.1\r\n"_ba + host + "X-A: a\0b\r\n\r\n"_ba << Problem::Malformed;
    QTest::newRow("bare LF line ends")
        << "GET /health HTTP/1.1\nHost: h\nX-A: \rb\n\n"_ba << Problem::Malformed;
    QTest::newRow("folded header")
        << "GET /health HTTP/1.1\r\n"_ba + host + "X-A: a\r\n b\r\n\r\n"_ba << Problem::Malformed;
    QTest::newRow("no Host in 1.1") << "GET /health HTTP/1.1\r\n\r\n"_ba << Problem::Malformed;
    QTest::newRow("two Hosts") << "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"_ba
                               << Problem::Malformed;
    QTest::newRow("absolute form")
        << "GET http://h/health HTTP/1.1\r\n"_ba + host + "\r\n"_ba << Problem::Malformed;
    QTest::newRow("raw UTF-8 in the target")
        << "GET /requests?q=caf\xc3\xa9 HTTP/1.1\r\n"_ba + host + "\r\n"_ba << Problem::Malformed;
    QTest::newRow("TLS ClientHello")
        << QByteArray::fromHex("16030102000100") + QByteArray(40, '\x01') << Problem::UnknownMethod;
    QTest::newRow("garbage") << "\x01\x02\x03 nonsense\r\n\r\n"_ba << Problem::UnknownMethod;

    // RFC 9110 9.1: methods are case-sensitive tokens; a server answers one it does not know
    // with 501.
    QTest::newRow("unknown method")
        << "FOO /health HTTP/1.1\r\n"_ba + host + "\r\n"_ba << Problem::UnknownMethod;
    QTest::newRow("lower-case get")
        << "get /health HTTP/1.1\r\n"_ba + host + "\r\n"_ba << Problem::UnknownMethod;
    QTest::newRow("HTTP/9.9") << "GET /health HTTP/9.9\r\n"_ba + host + "\r\n"_ba
                              << Problem::UnsupportedVersion;
    QTest::newRow("HTTP/1.2") << "GET /health HTTP/1.2\r\n"_ba + host + "\r\n"_ba
                              << Problem::UnsupportedVersion;
    QTest::newRow("HTTP/2.0") << "GET /health HTTP/2.0\r\n"_ba + host + "\r\n"_ba
                              << Problem::UnsupportedVersion;

    // Limits: refused while reading, so nothing large is held.
    QTest::newRow("long target") << "GET /"_ba + QByteArray(64, 'a') << Problem::TargetTooLong;
    QTest::newRow("large header") << "GET / HTTP/1.1\r\nX-A: "_ba + QByteArray(300, 'a')
                                  << Problem::HeadTooLarge;
    QByteArray manyHeaders = "GET / HTTP/1.1\r\n"_ba;
    for (int i = 0; i < 9; ++i)
        manyHeaders += "X" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("nine headers") << manyHeaders + "\r\n"_ba << Problem::HeadTooLarge;
    QTest::newRow("body larger by Content-Length")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Content-Length: 104857600\r\n\r\n"_ba
        << Problem::BodyTooLarge;
    QTest::newRow("chunked body larger")
        << "POST /requests HTTP/1.1\r\n"_ba + host + "Transfer-Encoding: chunked\r\n\r\n20\r\n"_ba +
               QByteArray(32, 'a') + "\r\n1\r\na\r\n"_ba
        << Problem::BodyTooLarge;
}

void TestHttpRequestParser::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Problem, problem);
    HttpRequestParser parser(smallLimits());
    parser.feed(bytes);
    QCOMPARE(parser.problem(), problem);
    QVERIFY(!parser.problemText().isEmpty());
    QVERIFY(!parser.hasRequest());
    // Nothing more is read once the framing is in doubt.
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), 0);
}

void TestHttpRequestParser::emptyHeaderIsPresentButEmpty()
{
    HttpRequestParser parser(smallLimits());
    parser.feed("POST /requests HTTP/1.1\r\nHost: h\r\nIdempotency-Key:\r\n"
                "Content-Length: 0\r\n\r\n");
    QVERIFY(parser.hasRequest());
    const QByteArray key = parser.takeRequest().header("Idempotency-Key");
    QVERIFY(!key.isNull());
    QVERIFY(key.isEmpty());
}

void TestHttpRequestParser::largeHeadWithinItsLimitIsRead()
{
    // Past http-parser's own compiled-in 80 KiB: the configured limits decide.
    HttpRequestParser::Limits limits;
    limits.maxTargetBytes = HttpRequestParser::kLargestHeadBytes;
    limits.maxHeadBytes = HttpRequestParser::kLargestHeadBytes;
    HttpRequestParser parser(limits);
    const QByteArray query = "a=1" + QByteArray("&a=1").repeated(100'000);
    const QByteArray bytes = "GET /requests?" + query +
                             " HTTP/1.1\r\nHost: h\r\nX-Large: " + QByteArray(300'000, 'x') +
                             "\r\n\r\n";
    QCOMPARE(parser.feed(bytes), bytes.size());
    QCOMPARE(parser.problem(), Problem::None);
    QVERIFY(parser.hasRequest());
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.query(), query);
    QCOMPARE(request.header("X-Large").size(), 300'000);

    // A head over its configured limit is still 431.
    limits.maxHeadBytes = bytes.size() - 100;
    HttpRequestParser strict(limits);
    strict.feed(bytes);
    QCOMPARE(strict.problem(), Problem::HeadTooLarge);
}

void TestHttpRequestParser::idleOnlyBetweenRequests()
{
    HttpRequestParser parser(smallLimits());
    QVERIFY(parser.isIdle());
    parser.feed("GET /heal");
    QVERIFY(!parser.isIdle());
    QVERIFY(!parser.hasHead());
    parser.feed("th HTTP/1.1\r\nHost: h\r\n\r\n");
    QVERIFY(parser.hasHead());
    parser.takeRequest();
    QVERIFY(parser.isIdle());
}

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
