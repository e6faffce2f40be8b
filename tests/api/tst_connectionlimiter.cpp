#include "connectionlimiter.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestConnectionLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void capsEachAddressAndReleasesOnClose();
    void capsTheTotal();
    void groupsAnIpv6ClientByItsSlash64();
    void trustedProxyCountsOnlyInTheTotal();
};

namespace {

bool admitted(const std::variant<ConnectionLimiter::Slot, ConnectionLimiter::Refusal> &result)
{
    return std::holds_alternative<ConnectionLimiter::Slot>(result);
}

} // namespace

void TestConnectionLimiter::capsEachAddressAndReleasesOnClose()
{
    ConnectionLimiter limiter({2, 100});
    const QHostAddress client(u"192.0.2.7"_s);
    auto first = limiter.admit(client);
    auto second = limiter.admit(client);
    QVERIFY(admitted(first) && admitted(second));
    const auto third = limiter.admit(client);
    QVERIFY(!admitted(third));
    QCOMPARE(std::get<ConnectionLimiter::Refusal>(third).status, 429);
    QVERIFY(admitted(limiter.admit(QHostAddress(u"192.0.2.8"_s))));
    // The IPv4-mapped form is the same client.
    QVERIFY(!admitted(limiter.admit(QHostAddress(u"::ffff:192.0.2.7"_s))));
    first = ConnectionLimiter::Refusal{};
    QVERIFY(admitted(limiter.admit(client)));
    QCOMPARE(limiter.openConnections(), 1); // second; the others were let go at once
}

void TestConnectionLimiter::capsTheTotal()
{
    ConnectionLimiter limiter({10, 3});
    QList<ConnectionLimiter::Slot> held;
    for (int i = 1; i <= 3; ++i) {
        auto result = limiter.admit(QHostAddress(u"192.0.2.%1"_s.arg(i)));
        QVERIFY(admitted(result));
        held.append(std::get<ConnectionLimiter::Slot>(result));
    }
    const auto full = limiter.admit(QHostAddress(u"192.0.2.9"_s));
    QCOMPARE(std::get<ConnectionLimiter::Refusal>(full).status, 503);
    held.removeFirst();
    QVERIFY(admitted(limiter.admit(QHostAddress(u"192.0.2.9"_s))));
}

void TestConnectionLimiter::groupsAnIpv6ClientByItsSlash64()
{
    ConnectionLimiter limiter({1, 100});
    const auto first = limiter.admit(QHostAddress(u"2001:db8:1:2::1"_s));
    QVERIFY(admitted(first));
    // One subscriber holds the whole /64: another address in it is the same client.
    QVERIFY(!admitted(limiter.admit(QHostAddress(u"2001:db8:1:2::ffff"_s))));
    QVERIFY(admitted(limiter.admit(QHostAddress(u"2001:db8:1:3::1"_s))));
}

void TestConnectionLimiter::trustedProxyCountsOnlyInTheTotal()
{
    ConnectionLimiter limiter({1, 3});
    const QHostAddress proxy(u"10.0.0.1"_s);
    QList<ConnectionLimiter::Slot> held;
    for (int i = 0; i < 3; ++i) {
        auto result = limiter.admit(proxy, false);
        QVERIFY(admitted(result));
        held.append(std::get<ConnectionLimiter::Slot>(result));
    }
    QVERIFY(!admitted(limiter.admit(proxy, false)));
}

QTEST_APPLESS_MAIN(TestConnectionLimiter)
#include "tst_connectionlimiter.moc"
