#include "textngrams.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestTextNgrams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wordsThenPairsInTextOrder();
    void wordsAreStemmed();
    void versionOneReadsWordsAsTheyAre();
    void keysAreFnv1aOfTheTokens();
    void sameTextSameKeysWhateverTheCaseAndPunctuation();
    void emptyTextHasNoKeys();
};

// FNV-1a 64 as published (www.isthe.com/chongo/tech/comp/fnv), written out here so the test does
// not check the code against itself.
static quint64 fnv1a(QByteArrayView bytes)
{
    quint64 hash = 0xcbf29ce484222325ULL;
    for (const char byte : bytes) {
        hash ^= quint64(static_cast<unsigned char>(byte));
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

void TestTextNgrams::wordsThenPairsInTextOrder()
{
    std::vector<quint64> keys;
    TextNgrams::keys(u"printer jams again"_s, &keys);
    // Snowball's English stemmer: "jams" -> "jam"; the pair is made of stems too.
    const std::vector<quint64> expected{fnv1a("printer"), fnv1a("jam"), fnv1a("printer jam"),
                                        fnv1a("again"), fnv1a("jam again")};
    QCOMPARE(keys, expected);
}

void TestTextNgrams::wordsAreStemmed()
{
    std::vector<quint64> plural;
    std::vector<quint64> past;
    std::vector<quint64> singular;
    TextNgrams::keys(u"Invoices"_s, &plural);
    TextNgrams::keys(u"invoiced"_s, &past);
    TextNgrams::keys(u"invoice"_s, &singular);
    QCOMPARE(plural, std::vector<quint64>{fnv1a("invoic")});
    QCOMPARE(past, plural);
    QCOMPARE(singular, plural);
    // Placeholders and numbers are not words a stemmer changes.
    std::vector<quint64> placeholder;
    TextNgrams::keys(u"<acc_num> 42"_s, &placeholder);
    QCOMPARE(placeholder,
             (std::vector<quint64>{fnv1a("<acc_num>"), fnv1a("0"), fnv1a("<acc_num> 0")}));
}

// Models stored before stemming keep reading tickets as they were trained to.
void TestTextNgrams::versionOneReadsWordsAsTheyAre()
{
    std::vector<quint64> keys;
    TextNgrams::keys(u"printer jams again"_s, &keys, 1);
    const std::vector<quint64> expected{fnv1a("printer"), fnv1a("jams"), fnv1a("printer jams"),
                                        fnv1a("again"), fnv1a("jams again")};
    QCOMPARE(keys, expected);
}

void TestTextNgrams::keysAreFnv1aOfTheTokens()
{
    // Published test vectors of FNV-1a 64: the keys do not depend on this machine.
    QCOMPARE(fnv1a(""), 0xcbf29ce484222325ULL);
    QCOMPARE(fnv1a("a"), 0xaf63dc4c8601ec8cULL);
    std::vector<quint64> keys;
    TextNgrams::keys(u"a"_s, &keys);
    QCOMPARE(keys, std::vector<quint64>{0xaf63dc4c8601ec8cULL});
}

void TestTextNgrams::sameTextSameKeysWhateverTheCaseAndPunctuation()
{
    std::vector<quint64> plain;
    std::vector<quint64> shouted;
    TextNgrams::keys(u"refund my order 123"_s, &plain);
    TextNgrams::keys(u"REFUND, my order #98765!"_s, &shouted);
    QCOMPARE(shouted, plain); // tokens are lower case, every number is "0"
}

void TestTextNgrams::emptyTextHasNoKeys()
{
    std::vector<quint64> keys{1, 2, 3};
    TextNgrams::keys(u"  ...  "_s, &keys);
    QVERIFY(keys.empty());
}

QTEST_APPLESS_MAIN(TestTextNgrams)
#include "tst_textngrams.moc"
