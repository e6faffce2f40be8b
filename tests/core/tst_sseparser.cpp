#include "sseparser.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsAreDispatchedAtBlankLines();
    void piecesMayBeCutAnywhere();
    void lineEndsOfEveryKind();
    void fieldsFollowTheStandard();
    void idCarriesOverAndRetryIsKept();
};

void TestSseParser::eventsAreDispatchedAtBlankLines()
{
    SseParser parser;
    QList<SseEvent> events = parser.feed("data: {\"a\":1}\n\ndata: second\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).data, u"{\"a\":1}"_s);
    QCOMPARE(events.at(0).type, u"message"_s);
    QVERIFY(parser.pendingBytes() == 0);
    events = parser.feed("\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).data, u"second"_s);
}

void TestSseParser::piecesMayBeCutAnywhere()
{
    const QByteArray stream = "event: delta\r\ndata: Grüße 👋\r\ndata: line two\r\n\r\n"
                              ": keep-alive\r\n\r\ndata: [DONE]\r\n\r\n";
    QList<SseEvent> whole = SseParser().feed(stream);
    QCOMPARE(whole.size(), 2);
    QCOMPARE(whole.at(0).type, u"delta"_s);
    QCOMPARE(whole.at(0).data, u"Grüße 👋\nline two"_s);
    QCOMPARE(whole.at(1).data, u"[DONE]"_s);
    // Every cut, through UTF-8 characters and between CR and LF, gives the same events.
    for (qsizetype cut = 1; cut < stream.size(); ++cut) {
        SseParser parser;
        QList<SseEvent> events = parser.feed(stream.left(cut));
        events += parser.feed(stream.mid(cut));
        QCOMPARE(events, whole);
    }
    // And one byte at a time.
    SseParser bytewise;
    QList<SseEvent> events;
    for (const char c : stream)
        events += bytewise.feed(QByteArray(1, c));
    QCOMPARE(events, whole);
}

void TestSseParser::lineEndsOfEveryKind()
{
    for (const QByteArray &end : {"\n"_ba, "\r"_ba, "\r\n"_ba}) {
        const QList<SseEvent> events =
            SseParser().feed("data: x" + end + end + "data: y" + end + end);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(1).data, u"y"_s);
    }
}

void TestSseParser::fieldsFollowTheStandard()
{
    const QList<SseEvent> events = SseParser().feed("\xEF\xBB\xBF"
                                                    "data:no space\n"
                                                    "data:  two spaces\n"
                                                    "unknown: ignored\n"
                                                    "data\n"
                                                    "\n"
                                                    "event: only a type\n"
                                                    "\n"
                                                    ": a comment\n"
                                                    "\n");
    // An event without data is not dispatched; a field with no colon has an empty value.
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).data, u"no space\n two spaces\n"_s);
}

void TestSseParser::idCarriesOverAndRetryIsKept()
{
    SseParser parser;
    const QList<SseEvent> events =
        parser.feed("id: 41\ndata: a\n\ndata: b\n\nid\ndata: c\n\nretry: 2500\nretry: soon\n\n");
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(0).lastEventId, u"41"_s);
    QCOMPARE(events.at(1).lastEventId, u"41"_s);
    QCOMPARE(events.at(2).lastEventId, QString()); // "id" alone resets it
    QCOMPARE(parser.retryMs(), 2500);
}

QTEST_APPLESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
