#include "sentencesummarizer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSentenceSummarizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summarize_data();
    void summarize();
    void lengthLimit_data();
    void lengthLimit();
    void cutsAtWordBoundaryExactlyAtLimit();
    void singleLongWord();
    void defaultLimitIs200();
};

void TestSentenceSummarizer::summarize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("whitespace") << u"  \n\t \r\n "_s << QString();
    QTest::newRow("one sentence, trimmed")
        << u"   The printer jams on every page.  "_s << u"The printer jams on every page."_s;
    QTest::newRow("no punctuation is one sentence")
        << u"cannot open the attachment in the mobile app"_s
        << u"cannot open the attachment in the mobile app"_s;
    QTest::newRow("greeting line skipped")
        << u"Dear support team,\nMy invoice for March lists a plan we never ordered."_s
        << u"My invoice for March lists a plan we never ordered."_s;
    QTest::newRow("hello skipped") << u"Hello! The VPN client crashes when I connect."_s
                                   << u"The VPN client crashes when I connect."_s;
    QTest::newRow("greeting clause removed")
        << u"Hi Anna, the export button does nothing in Firefox."_s
        << u"the export button does nothing in Firefox."_s;
    QTest::newRow("sign-off and name skipped")
        << u"The dashboard loads slowly.\n\nBest regards,\nJonathan Alexander Smithfield"_s
        << u"The dashboard loads slowly."_s;
    QTest::newRow("thanks and sincerely skipped")
        << u"Refund still missing.\nThank you in advance for your help!\nSincerely, "
           u"Maria Gonzalez Fernandez de la Vega"_s
        << u"Refund still missing."_s;
    QTest::newRow("most informative sentence chosen")
        << u"Hi. I have a problem. Since Monday the nightly backup job fails with a disk quota "
           u"error on the file server. Can you help?"_s
        << u"Since Monday the nightly backup job fails with a disk quota error on the file "
           u"server."_s;
    QTest::newRow("filler sentence loses")
        << u"I hope this email finds you well. Our payment terminal rejects contactless cards."_s
        << u"Our payment terminal rejects contactless cards."_s;
    QTest::newRow("earlier sentence wins a tie")
        << u"Login page shows error 500. Mobile app shows error 404."_s
        << u"Login page shows error 500."_s;
    QTest::newRow("decimals and versions do not split")
        << u"Version 2.4.1 of the agent uses 3.5 GB of memory on idle servers. Odd."_s
        << u"Version 2.4.1 of the agent uses 3.5 GB of memory on idle servers."_s;
    QTest::newRow("question and exclamation marks split")
        << u"Why?! The new release deleted every saved report template from our workspace! "
           u"Help."_s
        << u"The new release deleted every saved report template from our workspace!"_s;
    QTest::newRow("literal newlines split sentences")
        << u"Order 1182\nThe package arrived with a cracked screen and missing charger\nPlease "
           u"advise"_s
        << u"The package arrived with a cracked screen and missing charger"_s;
    QTest::newRow("inner whitespace collapsed")
        << u"The   sync\tclient keeps   asking for my password."_s
        << u"The sync client keeps asking for my password."_s;
    QTest::newRow("only formulas") << u"Hello!\nThanks"_s << u"Hello!"_s;
    QTest::newRow("long sentence starting with Hi is content")
        << u"Hi there is no way to change the delivery address after checking out in the "
           u"shop."_s
        << u"Hi there is no way to change the delivery address after checking out in the "
           u"shop."_s;
}

void TestSentenceSummarizer::summarize()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(SentenceSummarizer::summarize(text), expected);
}

void TestSentenceSummarizer::lengthLimit_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<QString>("expected");

    QTest::newRow("fits exactly") << u"abc def"_s << 7 << u"abc def"_s;
    QTest::newRow("one over, cut at space") << u"abc defg"_s << 7 << u"abc\u2026"_s;
    QTest::newRow("boundary right after the kept part")
        << u"abcd efgh ijkl"_s << 10 << u"abcd efgh\u2026"_s;
    QTest::newRow("never mid-word") << u"abcd efghij"_s << 8 << u"abcd\u2026"_s;
    QTest::newRow("trailing comma dropped")
        << u"charged twice, refund missing"_s << 17 << u"charged twice\u2026"_s;
    QTest::newRow("zero limit") << u"anything"_s << 0 << QString();
    QTest::newRow("limit one") << u"anything here"_s << 1 << u"\u2026"_s;
}

void TestSentenceSummarizer::lengthLimit()
{
    QFETCH(QString, text);
    QFETCH(int, maxLength);
    QFETCH(QString, expected);
    const QString summary = SentenceSummarizer::summarize(text, maxLength);
    QCOMPARE(summary, expected);
    QVERIFY(summary.size() <= qMax(maxLength, 0));
}

void TestSentenceSummarizer::cutsAtWordBoundaryExactlyAtLimit()
{
    // 40 five-letter words: 239 characters in one sentence.
    QStringList words;
    for (int i = 0; i < 40; ++i)
        words.append(u"w%1xyz"_s.arg(i % 10));
    const QString sentence = words.join(u' ');
    QCOMPARE(sentence.size(), 239);

    const QString summary = SentenceSummarizer::summarize(sentence);
    QVERIFY2(summary.size() <= 200, qPrintable(QString::number(summary.size())));
    QVERIFY(summary.endsWith(u'\u2026'));
    const QString kept = summary.chopped(1);
    // Every kept word is whole, and the cut went as far as the limit allows: 33 words are 197
    // characters, a 34th would need 203 with the ellipsis.
    QCOMPARE(kept, QStringList(words.mid(0, 33)).join(u' '));
    QCOMPARE(summary.size(), 198);

    // When the word ends exactly at 199 characters, it is kept: 199 + "…" = 200.
    QString exact = u"x"_s.repeated(193) + u" abcde fghij"_s;
    QCOMPARE(exact.size(), 205);
    QCOMPARE(SentenceSummarizer::summarize(exact), u"x"_s.repeated(193) + u" abcde\u2026"_s);
    QCOMPARE(SentenceSummarizer::summarize(exact).size(), 200);
}

void TestSentenceSummarizer::singleLongWord()
{
    // No word boundary to cut at: the word is cut to maxLength - 1 characters plus "…", which
    // keeps the limit and still shows what the text starts with (documented in the .cpp).
    const QString word = u"a"_s.repeated(300);
    const QString summary = SentenceSummarizer::summarize(word);
    QCOMPARE(summary.size(), 200);
    QCOMPARE(summary, u"a"_s.repeated(199) + u'\u2026');

    // A surrogate pair is never split in two.
    const QString emoji = QStringView(u"\U0001F600").toString().repeated(150);
    const QString cut = SentenceSummarizer::summarize(emoji, 100);
    QVERIFY(cut.size() <= 100);
    QVERIFY(!cut.chopped(1).back().isHighSurrogate());
}

void TestSentenceSummarizer::defaultLimitIs200()
{
    QCOMPARE(SentenceSummarizer::kDefaultMaxLength, 200);
    const QString text = u"word "_s.repeated(100).trimmed();
    QVERIFY(SentenceSummarizer::summarize(text).size() <= 200);
    QCOMPARE(SentenceSummarizer::summarize(text, 1000), text);
}

QTEST_GUILESS_MAIN(TestSentenceSummarizer)
#include "tst_sentencesummarizer.moc"
