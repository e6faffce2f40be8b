#include "tfidfvectorizer.h"

#include <QBuffer>
#include <QTest>

#include <cmath>

class TestTfidfVectorizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vocabularyIsFrequentKeysInAFixedOrder();
    void vectorsAreSublinearTfIdfOfLengthOne();
    void unknownKeysAreLeftOut();
    void survivesWritingAndReading();
    void damagedStreamIsRefused();
};

using Documents = std::vector<std::vector<quint64>>;

static const Documents kDocuments{{1, 2, 3}, {1, 2, 2}, {1, 4}, {5, 5, 5}};

void TestTfidfVectorizer::vocabularyIsFrequentKeysInAFixedOrder()
{
    // In three documents: 1; in two: 2; in one: 3, 4, 5 (below the minimum of two).
    const TfidfVectorizer vectorizer = TfidfVectorizer::fit(kDocuments);
    QCOMPARE(vectorizer.size(), 2);
    TfidfVectorizer::Vector vector;
    vectorizer.transform({1}, &vector);
    QCOMPARE(vector.size(), 1u);
    QCOMPARE(vector.front().index, 0); // the most frequent key comes first
    vectorizer.transform({2}, &vector);
    QCOMPARE(vector.front().index, 1);

    // The documents' order does not matter, nor does the hash table's.
    Documents reversed(kDocuments.rbegin(), kDocuments.rend());
    TfidfVectorizer::Options everything;
    everything.minimumDocuments = 1;
    const TfidfVectorizer a = TfidfVectorizer::fit(kDocuments, everything);
    const TfidfVectorizer b = TfidfVectorizer::fit(reversed, everything);
    QCOMPARE(a.size(), 5);
    for (quint64 key = 1; key <= 5; ++key) {
        TfidfVectorizer::Vector va;
        TfidfVectorizer::Vector vb;
        a.transform({key}, &va);
        b.transform({key}, &vb);
        QCOMPARE(va.front().index, vb.front().index);
    }
    // Ties (keys 3, 4, 5 in one document each) go by key.
    TfidfVectorizer::Vector three;
    TfidfVectorizer::Vector five;
    a.transform({3}, &three);
    a.transform({5}, &five);
    QVERIFY(three.front().index < five.front().index);

    TfidfVectorizer::Options few = everything;
    few.maximumFeatures = 1;
    QCOMPARE(TfidfVectorizer::fit(kDocuments, few).size(), 1);
}

void TestTfidfVectorizer::vectorsAreSublinearTfIdfOfLengthOne()
{
    const TfidfVectorizer vectorizer = TfidfVectorizer::fit(kDocuments);
    TfidfVectorizer::Vector vector;
    vectorizer.transform({2, 1, 2, 2}, &vector);
    QCOMPARE(vector.size(), 2u);
    QVERIFY(vector[0].index < vector[1].index);
    // idf = ln((1 + n) / (1 + df)) + 1 with n = 4 documents; tf = 1 + ln(count).
    const double one = std::log(5.0 / 4.0) + 1.0;
    const double two = (1.0 + std::log(3.0)) * (std::log(5.0 / 3.0) + 1.0);
    const double length = std::sqrt(one * one + two * two);
    QVERIFY(std::abs(vector[0].value - one / length) < 1e-6);
    QVERIFY(std::abs(vector[1].value - two / length) < 1e-6);
}

void TestTfidfVectorizer::unknownKeysAreLeftOut()
{
    const TfidfVectorizer vectorizer = TfidfVectorizer::fit(kDocuments);
    TfidfVectorizer::Vector vector{{7, 1.0}};
    vectorizer.transform({42, 43}, &vector);
    QVERIFY(vector.empty());
}

void TestTfidfVectorizer::survivesWritingAndReading()
{
    TfidfVectorizer::Options everything;
    everything.minimumDocuments = 1;
    const TfidfVectorizer original = TfidfVectorizer::fit(kDocuments, everything);
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        original.write(out);
    }
    QDataStream in(bytes);
    const std::optional<TfidfVectorizer> read = TfidfVectorizer::read(in);
    QVERIFY(read);
    QCOMPARE(read->size(), original.size());
    TfidfVectorizer::Vector before;
    TfidfVectorizer::Vector after;
    original.transform({1, 2, 5, 5}, &before);
    read->transform({1, 2, 5, 5}, &after);
    QCOMPARE(after.size(), before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        QCOMPARE(after[i].index, before[i].index);
        QVERIFY(std::abs(after[i].value - before[i].value) < 1e-6);
    }
}

void TestTfidfVectorizer::damagedStreamIsRefused()
{
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        TfidfVectorizer::fit(kDocuments).write(out);
    }
    QBuffer truncated;
    truncated.setData(bytes.left(bytes.size() - 3));
    truncated.open(QIODevice::ReadOnly);
    QDataStream cut(&truncated);
    QVERIFY(!TfidfVectorizer::read(cut));

    // A count no stream of this size could hold.
    QByteArray huge;
    {
        QDataStream out(&huge, QIODevice::WriteOnly);
        out << quint32(40'000'000);
    }
    QBuffer buffer(&huge);
    buffer.open(QIODevice::ReadOnly);
    QDataStream claim(&buffer);
    QVERIFY(!TfidfVectorizer::read(claim));
}

QTEST_APPLESS_MAIN(TestTfidfVectorizer)
#include "tst_tfidfvectorizer.moc"
