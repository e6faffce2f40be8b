#include "pagecursor.h"

#include <QRegularExpression>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr auto kUrlBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

// Builds a token around arbitrary plain text, to reach the checks behind the base64 layer.
QString tokenFor(const QByteArray &plain)
{
    return QString::fromLatin1(plain.toBase64(kUrlBase64));
}

} // namespace

class TestPageCursor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void decodeRejects_data();
    void decodeRejects();
    void lengthLimit();
    void differentCursorsDifferentTokens();
};

void TestPageCursor::roundTrip_data()
{
    QTest::addColumn<qint64>("createdAtMs");
    QTest::addColumn<qint64>("id");

    constexpr qint64 max = std::numeric_limits<qint64>::max();
    constexpr qint64 min = std::numeric_limits<qint64>::min();
    QTest::newRow("typical") << qint64(1'714'564'800'123) << qint64(4711);
    QTest::newRow("smallest id") << qint64(1'714'564'800'000) << qint64(1);
    QTest::newRow("epoch") << qint64(0) << qint64(2);
    QTest::newRow("before the epoch") << qint64(-86'400'000) << qint64(3);
    QTest::newRow("largest values") << max << max;
    QTest::newRow("smallest instant") << min << max;
}

void TestPageCursor::roundTrip()
{
    QFETCH(qint64, createdAtMs);
    QFETCH(qint64, id);

    const PageCursor cursor{createdAtMs, id};
    const QString token = cursor.encode();
    // Tokens travel in query strings, so they must not need percent-encoding.
    static const QRegularExpression urlSafe(u"^[A-Za-z0-9_-]+$"_s);
    QVERIFY2(urlSafe.match(token).hasMatch(), qPrintable(token));
    QVERIFY2(token.size() <= 64, qPrintable(token));

    const std::optional<PageCursor> decoded = PageCursor::decode(token);
    QVERIFY(decoded.has_value());
    QCOMPARE(decoded->createdAtMs, createdAtMs);
    QCOMPARE(decoded->id, id);
    QVERIFY(*decoded == cursor);
}

void TestPageCursor::decodeRejects_data()
{
    QTest::addColumn<QString>("token");

    const QString valid = PageCursor{1'714'564'800'123, 42}.encode();

    QTest::newRow("empty") << QString();
    QTest::newRow("garbage") << u"!!!!"_s;
    QTest::newRow("zzz") << u"zzz"_s;
    QTest::newRow("words") << u"not a cursor"_s;
    QTest::newRow("non-latin1") << u"djE6MTox😀"_s;
    QTest::newRow("valid with a space inside") << valid.left(4) + u' ' + valid.mid(4);
    QTest::newRow("valid with a dot appended") << valid + u'.';
    QTest::newRow("valid with a newline appended") << valid + u'\n';
    QTest::newRow("plus sign inside") << valid.left(8) + u'+' + valid.mid(9);
    QTest::newRow("slash inside") << valid.left(8) + u'/' + valid.mid(9);
    QTest::newRow("no prefix") << tokenFor("1714564800123:42");
    QTest::newRow("wrong prefix") << tokenFor("v2:1714564800123:42");
    QTest::newRow("prefix in upper case") << tokenFor("V1:1714564800123:42");
    QTest::newRow("prefix only") << tokenFor("v1:");
    QTest::newRow("one part") << tokenFor("v1:1714564800123");
    QTest::newRow("three parts") << tokenFor("v1:1714564800123:42:7");
    QTest::newRow("zero id") << tokenFor("v1:1714564800123:0");
    QTest::newRow("negative id") << tokenFor("v1:1714564800123:-5");
    QTest::newRow("empty id") << tokenFor("v1:1714564800123:");
    QTest::newRow("empty instant") << tokenFor("v1::42");
    QTest::newRow("letters in instant") << tokenFor("v1:abc:42");
    QTest::newRow("letters after id") << tokenFor("v1:1714564800123:42x");
    QTest::newRow("fraction in id") << tokenFor("v1:1714564800123:4.2");
    QTest::newRow("id beyond 64 bits") << tokenFor("v1:1714564800123:9223372036854775808");
    QTest::newRow("overly long") << QString(65, u'A');
    QTest::newRow("very long") << valid.repeated(100);
}

void TestPageCursor::decodeRejects()
{
    QFETCH(QString, token);

    const std::optional<PageCursor> decoded = PageCursor::decode(token);
    QVERIFY2(!decoded.has_value(), qPrintable(u"%1 -> %2:%3"_s.arg(token)
                                                  .arg(decoded ? decoded->createdAtMs : 0)
                                                  .arg(decoded ? decoded->id : 0)));
}

void TestPageCursor::lengthLimit()
{
    // 48 plain bytes make exactly 64 token characters; one byte more goes over the limit.
    const QByteArray atLimit = "v1:" + QByteArray(42, '0') + "1:7";
    QCOMPARE(atLimit.size(), 48);
    const QString atLimitToken = tokenFor(atLimit);
    QCOMPARE(atLimitToken.size(), 64);
    QCOMPARE(PageCursor::decode(atLimitToken), std::optional(PageCursor{1, 7}));

    const QString overLimitToken = tokenFor("v1:" + QByteArray(43, '0') + "1:7");
    QVERIFY(overLimitToken.size() > 64);
    QVERIFY(!PageCursor::decode(overLimitToken).has_value());
}

void TestPageCursor::differentCursorsDifferentTokens()
{
    const PageCursor cursor{1000, 1};
    const PageCursor otherId{1000, 2};
    const PageCursor otherInstant{1001, 1};
    const PageCursor same{1000, 1};
    QVERIFY(otherId.encode() != cursor.encode());
    QVERIFY(otherInstant.encode() != cursor.encode());
    QCOMPARE(same.encode(), cursor.encode());
}

QTEST_GUILESS_MAIN(TestPageCursor)
#include "tst_pagecursor.moc"
