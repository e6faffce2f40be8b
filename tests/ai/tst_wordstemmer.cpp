#include "wordstemmer.h"

#include <QTest>

#include <string>

class TestWordStemmer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stemsAsSnowballsEnglishStemmer_data();
    void stemsAsSnowballsEnglishStemmer();
    void aRememberedStemIsTheSameAsAFreshOne();
    void startingAgainWhenFullChangesNoStem();
};

void TestWordStemmer::stemsAsSnowballsEnglishStemmer_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<QByteArray>("stem");
    // Porter2 as published (snowballstem.org/algorithms/english/stemmer.html).
    QTest::newRow("plural") << QByteArray("invoices") << QByteArray("invoic");
    QTest::newRow("past") << QByteArray("charged") << QByteArray("charg");
    QTest::newRow("gerund") << QByteArray("running") << QByteArray("run");
    QTest::newRow("already a stem") << QByteArray("printer") << QByteArray("printer");
    QTest::newRow("number token") << QByteArray("0") << QByteArray("0");
    QTest::newRow("placeholder") << QByteArray("<acc_num>") << QByteArray("<acc_num>");
    QTest::newRow("not english") << QByteArray("rechnungen") << QByteArray("rechnungen");
    QTest::newRow("utf-8") << QByteArray("caf\xc3\xa9s") << QByteArray("caf\xc3\xa9");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestWordStemmer::stemsAsSnowballsEnglishStemmer()
{
    QFETCH(QByteArray, word);
    QFETCH(QByteArray, stem);
    WordStemmer stemmer;
    const std::string_view result = stemmer.stem(std::string_view(word.constData(), word.size()));
    QCOMPARE(QByteArray(result.data(), qsizetype(result.size())), stem);
}

void TestWordStemmer::aRememberedStemIsTheSameAsAFreshOne()
{
    WordStemmer stemmer;
    const std::string first(stemmer.stem("refunds"));
    stemmer.stem("printers");
    QCOMPARE(std::string(stemmer.stem("refunds")), first);
    QCOMPARE(first, std::string("refund"));
}

void TestWordStemmer::startingAgainWhenFullChangesNoStem()
{
    WordStemmer stemmer;
    const std::string before(stemmer.stem("connections"));
    for (std::size_t i = 0; i <= WordStemmer::kRemembered; ++i)
        stemmer.stem("word" + std::to_string(i) + "s");
    QCOMPARE(std::string(stemmer.stem("connections")), before);
    QCOMPARE(std::string(stemmer.stem("word7s")), std::string("word7"));
}

QTEST_APPLESS_MAIN(TestWordStemmer)
#include "tst_wordstemmer.moc"
