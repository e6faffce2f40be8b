#include "tokensecret.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTokenSecret : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedSecretHasTheShape();
    void generatedSecretsDiffer();
    void digestIsStableHex();
    void digestDiffersPerSecret();
    void shape_data();
    void shape();
};

void TestTokenSecret::generatedSecretHasTheShape()
{
    static const QRegularExpression shape(u"^sct_[A-Za-z0-9_-]{43}$"_s);
    for (int i = 0; i < 100; ++i) {
        const QString secret = TokenSecret::generate();
        QVERIFY2(shape.match(secret).hasMatch(), qPrintable(secret));
        QVERIFY(TokenSecret::hasSecretShape(secret.toLatin1()));
    }
}

void TestTokenSecret::generatedSecretsDiffer()
{
    QSet<QString> secrets;
    // 256 random bits each: any repeat means the randomness is broken. The tail is checked
    // separately so that a constant prefix cannot hide a generator that varies one character.
    QSet<QString> firstCharacters;
    constexpr int kCount = 10'000;
    for (int i = 0; i < kCount; ++i) {
        const QString secret = TokenSecret::generate();
        secrets.insert(secret);
        firstCharacters.insert(secret.mid(4, 1));
    }
    QCOMPARE(secrets.size(), kCount);
    // 64 possible characters, 10,000 draws: every one of them shows up.
    QCOMPARE(firstCharacters.size(), 64);
}

void TestTokenSecret::digestIsStableHex()
{
    const QByteArray secret = TokenSecret::generate().toLatin1();
    const QByteArray digest = TokenSecret::digest(secret);
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    QVERIFY2(hex.match(QString::fromLatin1(digest)).hasMatch(), digest.constData());
    QCOMPARE(TokenSecret::digest(secret), digest);
    QCOMPARE(TokenSecret::digest(QByteArray(secret)), digest);
    // BLAKE2b-256 of a known input (unkeyed, as `b2sum -l 256` computes it).
    QCOMPARE(TokenSecret::digest("abc"),
             QByteArray("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
}

void TestTokenSecret::digestDiffersPerSecret()
{
    const QByteArray secret = TokenSecret::generate().toLatin1();
    QByteArray changed = secret;
    changed[changed.size() - 1] = changed.back() == 'A' ? 'B' : 'A';
    QVERIFY(TokenSecret::digest(secret) != TokenSecret::digest(changed));
    QVERIFY(TokenSecret::digest(secret) != TokenSecret::digest(secret.mid(4)));
}

void TestTokenSecret::shape_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("shaped");

    const QByteArray tail(43, 'a');
    QTest::newRow("good") << "sct_" + tail << true;
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QTest::newRow("base64url alphabet, start") << "sct_" + alphabet.left(43) << true;
    QTest::newRow("base64url alphabet, end") << "sct_" + alphabet.right(43) << true;
    QTest::newRow("generated") << TokenSecret::generate().toLatin1() << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("prefix only") << QByteArray("sct_") << false;
    QTest::newRow("no prefix") << tail + "aaaa" << false;
    QTest::newRow("other prefix") << "ghp_" + tail << false;
    QTest::newRow("upper-case prefix") << "SCT_" + tail << false;
    QTest::newRow("one short") << "sct_" + tail.left(42) << false;
    QTest::newRow("one long") << "sct_" + tail + 'a' << false;
    QTest::newRow("padding") << "sct_" + tail.left(42) + '=' << false;
    QTest::newRow("standard base64 plus") << "sct_" + tail.left(42) + '+' << false;
    QTest::newRow("standard base64 slash") << "sct_" + tail.left(42) + '/' << false;
    QTest::newRow("space") << "sct_" + tail.left(21) + ' ' + tail.left(21) << false;
    QTest::newRow("NUL") << "sct_" + tail.left(42) + QByteArray(1, '\0') << false;
    QTest::newRow("non-ASCII") << "sct_" + tail.left(41) + "\xc3\xa9" << false;
}

void TestTokenSecret::shape()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, shaped);
    QCOMPARE(TokenSecret::hasSecretShape(text), shaped);
}

QTEST_GUILESS_MAIN(TestTokenSecret)
#include "tst_tokensecret.moc"
