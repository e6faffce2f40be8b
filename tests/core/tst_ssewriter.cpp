#include "sseparser.h"
#include "ssewriter.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSseWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsReadBackAsWritten_data();
    void eventsReadBackAsWritten();
    void commentsAreIgnoredByReaders();
};

void TestSseWriter::eventsReadBackAsWritten_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("id");
    QTest::newRow("json") << u"text"_s << u"{\"text\":\"Hello\"}"_s << QString();
    QTest::newRow("with id") << u"ticket.created"_s << u"{}"_s << u"42"_s;
    QTest::newRow("line breaks of every kind")
        << u"text"_s << u"one\ntwo\r\nthree\rfour"_s << QString();
    QTest::newRow("leading space and colon") << u"text"_s << u" : x"_s << QString();
    QTest::newRow("non-ASCII") << u"text"_s << u"Grüße 😀"_s << u"7"_s;
    QTest::newRow("empty data") << u"done"_s << QString() << QString();
}

void TestSseWriter::eventsReadBackAsWritten()
{
    QFETCH(QString, type);
    QFETCH(QString, data);
    QFETCH(QString, id);
    const QByteArray written = SseWriter::event(type, data, id);
    QVERIFY(written.endsWith("\n\n"));
    // One byte at a time, as a slow network might deliver it.
    SseParser parser;
    QList<SseEvent> events;
    for (char byte : written)
        events += parser.feed(QByteArray(1, byte));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).type, type);
    QString expected = data;
    expected.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    QCOMPARE(events.at(0).data, expected);
    QCOMPARE(events.at(0).lastEventId, id);
}

void TestSseWriter::commentsAreIgnoredByReaders()
{
    SseParser parser;
    // A line break in a comment's text cannot turn the rest into a field.
    const QList<SseEvent> events = parser.feed(SseWriter::comment(u"keep-alive\ndata: x"_s) +
                                               SseWriter::event(u"text"_s, u"after"_s));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).data, u"after"_s);
}

QTEST_APPLESS_MAIN(TestSseWriter)
#include "tst_ssewriter.moc"
