#include "fasttexttrainer.h"
#include "trainingset.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTrainingSet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneEntryPerTextInKeyOrder();
    void agentsOutrankQueuesAndMajorityWins();
    void tiesAreLeftOutWhateverTheOrder();
    void keysAndFoldsAreStable();
};

void TestTrainingSet::oneEntryPerTextInKeyOrder()
{
    const TrainingSet set({{u"b"_s, Category::Billing, false},
                           {u"a"_s, Category::Technical, false},
                           {u"b"_s, Category::Billing, false}});
    QCOMPARE(set.size(), 2);
    QCOMPARE(set.duplicates(), 1);
    QVERIFY(set.entries()[0].key < set.entries()[1].key);
    QCOMPARE(set.entries()[0].key, TrainingSet::keyOf(set.entries()[0].example.text));
}

void TestTrainingSet::agentsOutrankQueuesAndMajorityWins()
{
    const TrainingSet set({{u"t"_s, Category::Billing, false},
                           {u"t"_s, Category::Billing, false},
                           {u"t"_s, Category::General, true},
                           {u"u"_s, Category::Billing, false},
                           {u"u"_s, Category::Technical, false},
                           {u"u"_s, Category::Technical, false}});
    QCOMPARE(set.size(), 2);
    for (const TrainingSet::Entry &entry : set.entries()) {
        if (entry.example.text == u"t"_s) {
            QCOMPARE(entry.example.category, Category::General);
            QVERIFY(entry.example.fromAgent);
        } else {
            QCOMPARE(entry.example.category, Category::Technical);
            QVERIFY(!entry.example.fromAgent);
        }
    }
}

void TestTrainingSet::tiesAreLeftOutWhateverTheOrder()
{
    const QList<TrainingExample> examples{{u"t"_s, Category::Billing, false},
                                          {u"t"_s, Category::General, false},
                                          {u"u"_s, Category::General, false}};
    const QList<TrainingExample> reversed(examples.rbegin(), examples.rend());
    for (const auto &list : {examples, reversed}) {
        const TrainingSet set(list);
        QCOMPARE(set.size(), 1);
        QCOMPARE(set.conflicts(), 1);
        QCOMPARE(set.entries()[0].example.text, u"u"_s);
    }
}

void TestTrainingSet::keysAndFoldsAreStable()
{
    // The first eight bytes of SHA-256("printer jams"), little-endian: the same on every machine.
    const QByteArray digest =
        QCryptographicHash::hash("printer jams", QCryptographicHash::Sha256).left(8);
    quint64 expected = 0;
    for (int i = 7; i >= 0; --i)
        expected = (expected << 8) | quint8(digest[i]);
    QCOMPARE(TrainingSet::keyOf(u"printer jams"_s), expected);
    QCOMPARE(TrainingSet::foldOf(expected, 5), int(expected % 100 / 20));
    // Five folds are the residue ranges fastText's trainer holds out.
    for (const QString &text : {u"a"_s, u"b"_s, u"printer jams"_s, u"refund"_s, u"crash"_s}) {
        const int fold = TrainingSet::foldOf(TrainingSet::keyOf(text), 5);
        for (int other = 0; other < 5; ++other)
            QCOMPARE(FastTextTrainer::isHeldOut(text, 20, other * 20), other == fold);
    }
}

QTEST_APPLESS_MAIN(TestTrainingSet)
#include "tst_trainingset.moc"
