#include "fasttexttokenizer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestFastTextTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenize_data();
    void tokenize();
};

void TestFastTextTokenizer::tokenize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("tokens");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("only punctuation") << u" ...!? "_s << QByteArray();
    QTest::newRow("lower case, punctuation splits")
        << u"VPN keeps dropping! Help, please."_s << QByteArray("vpn keeps dropping help please");
    QTest::newRow("apostrophes inside words")
        << u"It doesn't work, it won\u2019t start"_s << QByteArray("it doesnt work it wont start");
    QTest::newRow("quotes are not apostrophes") << u"'urgent'"_s << QByteArray("urgent");
    QTest::newRow("numbers become one word")
        << u"Order 4411 on 2024-03-01 for $19.99"_s << QByteArray("order 0 on 0 0 0 for 0 0");
    QTest::newRow("digits split words") << u"win10pro"_s << QByteArray("win 0 pro");
    QTest::newRow("placeholders stay whole")
        << u"Call <Tel_Num> or write to <email>.<br>"_s
        << QByteArray("call <tel_num> or write to <email> <br>");
    QTest::newRow("a lone angle bracket separates") << u"a < b > c"_s << QByteArray("a b c");
    QTest::newRow("newlines and tabs")
        << u"Line one\n\n\tline two"_s << QByteArray("line one line two");
    QTest::newRow("non-ASCII letters are lower-cased") << u"Über CAFÉ"_s
                                                       << QByteArray("\xc3\xbc"
                                                                     "ber caf\xc3\xa9");
    QTest::newRow("characters outside the BMP")
        << u"ok \U0001F600 fine \U00010400"_s << QByteArray("ok fine \xf0\x90\x90\xa8");
}

void TestFastTextTokenizer::tokenize()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, tokens);
    QCOMPARE(QByteArray::fromStdString(FastTextTokenizer::tokenize(text)), tokens);
}

QTEST_GUILESS_MAIN(TestFastTextTokenizer)
#include "tst_fasttexttokenizer.moc"
