#include "searchtext.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSearchText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void words_data();
    void words();
    void normalisedJoinsWithSpaces();
};

void TestSearchText::words_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("case") << u"Refund INVOICE"_s << QStringList{u"refund"_s, u"invoice"_s};
    QTest::newRow("umlaut") << u"Über"_s << QStringList{u"uber"_s};
    QTest::newRow("accents") << u"Café crème à la façon"_s
                             << QStringList{u"cafe"_s, u"creme"_s, u"a"_s, u"la"_s, u"facon"_s};
    QTest::newRow("decomposed input") << u"Cafe\u0301"_s << QStringList{u"cafe"_s};
    QTest::newRow("e-mail") << u"john@example.com"_s
                            << QStringList{u"john"_s, u"example"_s, u"com"_s};
    QTest::newRow("unix path") << u"/var/log/app.log"_s
                               << QStringList{u"var"_s, u"log"_s, u"app"_s, u"log"_s};
    QTest::newRow("windows path") << u"C:\\Users\\Anna\\report.pdf"_s
                                  << QStringList{u"c"_s, u"users"_s, u"anna"_s, u"report"_s,
                                                 u"pdf"_s};
    QTest::newRow("version") << u"v1.2.3"_s << QStringList{u"v1"_s, u"2"_s, u"3"_s};
    QTest::newRow("numbers") << u"1.2.3"_s << QStringList{u"1"_s, u"2"_s, u"3"_s};
    QTest::newRow("percent") << u"100% refund"_s << QStringList{u"100"_s, u"refund"_s};
    QTest::newRow("punctuation only") << u"?!-- ... %%"_s << QStringList();
    QTest::newRow("whitespace runs") << u"  a\t\nb  "_s << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("apostrophe splits") << u"don't"_s << QStringList{u"don"_s, u"t"_s};
    QTest::newRow("cjk kept") << u"注文 キャンセル"_s << QStringList{u"注文"_s, u"キャンセル"_s};
    QTest::newRow("cjk beside latin") << u"订单ABC123"_s << QStringList{u"订单abc123"_s};
    QTest::newRow("beyond the bmp") << u"𠀀x"_s << QStringList{u"𠀀x"_s};
    QTest::newRow("greek case") << u"ΣΟΦΙΑ"_s << QStringList{u"σοφια"_s};
    QTest::newRow("cyrillic") << u"Привет, мир"_s << QStringList{u"привет"_s, u"мир"_s};
    QTest::newRow("ligature") << u"ﬁle"_s << QStringList{u"file"_s};
    QTest::newRow("fullwidth") << u"ＡＢＣ"_s << QStringList{u"abc"_s};
    QTest::newRow("emoji separates") << u"good👍service"_s << QStringList{u"good"_s, u"service"_s};
}

void TestSearchText::words()
{
    QFETCH(QString, text);
    QFETCH(QStringList, words);
    QCOMPARE(SearchText::words(text), words);
}

void TestSearchText::normalisedJoinsWithSpaces()
{
    QCOMPARE(SearchText::normalised(u"Re: Über  john@example.com!"_s),
             u"re uber john example com"_s);
    QCOMPARE(SearchText::normalised(u"--"_s), QString());
}

QTEST_APPLESS_MAIN(TestSearchText)
#include "tst_searchtext.moc"
