#include "hostallowlist.h"

#include <QNetworkInterface>
#include <QTest>

using namespace Qt::StringLiterals;

class TestHostAllowList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allows_data();
    void allows();
    void everyInterfaceWhenBoundToAll();
    void emptyListAllowsNothing();
    void describeNamesWhatIsAllowed();
};

void TestHostAllowList::allows_data()
{
    QTest::addColumn<QString>("boundAddress");
    QTest::addColumn<int>("port");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("allowed");

    const QString loopback = u"127.0.0.1"_s;
    const QStringList none;
    const QStringList proxy{u"support.example.com"_s};

    // The loopback names with the API's port.
    QTest::newRow("localhost:port") << loopback << 8080 << none << "localhost:8080"_ba << true;
    QTest::newRow("127.0.0.1:port") << loopback << 8080 << none << "127.0.0.1:8080"_ba << true;
    QTest::newRow("[::1]:port") << loopback << 8080 << none << "[::1]:8080"_ba << true;
    QTest::newRow("upper case") << loopback << 8080 << none << "LocalHost:8080"_ba << true;
    QTest::newRow("surrounding spaces")
        << loopback << 8080 << none << " localhost:8080 "_ba << true;
    QTest::newRow("wrong port") << loopback << 8080 << none << "localhost:8081"_ba << false;
    QTest::newRow("wrong port, address") << loopback << 8080 << none << "127.0.0.1:80"_ba << false;
    QTest::newRow("leading zero port") << loopback << 8080 << none << "localhost:08080"_ba << false;
    QTest::newRow("no port") << loopback << 8080 << none << "localhost"_ba << false;
    QTest::newRow("no port, address") << loopback << 8080 << none << "127.0.0.1"_ba << false;
    QTest::newRow("no port, IPv6") << loopback << 8080 << none << "[::1]"_ba << false;
    QTest::newRow("unbracketed IPv6") << loopback << 8080 << none << "::1:8080"_ba << false;
    // Browsers leave the scheme's default port out.
    QTest::newRow("no port on 80") << loopback << 80 << none << "localhost"_ba << true;
    QTest::newRow("no port on 443") << loopback << 443 << none << "127.0.0.1"_ba << true;
    QTest::newRow("no port on 443, IPv6") << loopback << 443 << none << "[::1]"_ba << true;
    QTest::newRow("explicit 443") << loopback << 443 << none << "localhost:443"_ba << true;
    QTest::newRow("80 on 443") << loopback << 443 << none << "localhost:80"_ba << false;

    // The bound address, when it is not a loopback one.
    QTest::newRow("bound IPv4") << u"192.0.2.10"_s << 8443 << none << "192.0.2.10:8443"_ba << true;
    QTest::newRow("bound IPv4, wrong port")
        << u"192.0.2.10"_s << 8443 << none << "192.0.2.10:8080"_ba << false;
    QTest::newRow("other IPv4") << u"192.0.2.10"_s << 8443 << none << "192.0.2.11:8443"_ba << false;
    QTest::newRow("bound IPv6") << u"2001:db8::5"_s << 8443 << none << "[2001:db8::5]:8443"_ba
                                << true;
    QTest::newRow("bound IPv6, upper case")
        << u"2001:db8::5"_s << 8443 << none << "[2001:DB8::5]:8443"_ba << true;
    QTest::newRow("bound IPv6, no brackets")
        << u"2001:db8::5"_s << 8443 << none << "2001:db8::5:8443"_ba << false;
    QTest::newRow("bound IPv6, no port")
        << u"2001:db8::5"_s << 8443 << none << "[2001:db8::5]"_ba << false;
    QTest::newRow("bound IPv6 still allows localhost")
        << u"2001:db8::5"_s << 8443 << none << "localhost:8443"_ba << true;
    QTest::newRow("bound IPv6 loopback") << u"::1"_s << 9000 << none << "[::1]:9000"_ba << true;

    // Configured names, with any port or none, as a reverse proxy sends them.
    QTest::newRow("configured, no port")
        << loopback << 8080 << proxy << "support.example.com"_ba << true;
    QTest::newRow("configured, API port")
        << loopback << 8080 << proxy << "support.example.com:8080"_ba << true;
    QTest::newRow("configured, other port")
        << loopback << 8080 << proxy << "support.example.com:443"_ba << true;
    QTest::newRow("configured, upper case")
        << loopback << 8080 << proxy << "Support.EXAMPLE.com:443"_ba << true;
    QTest::newRow("configured in upper case")
        << loopback << 8080 << QStringList{u" Support.Example.COM "_s} << "support.example.com"_ba
        << true;
    QTest::newRow("configured, non-numeric port")
        << loopback << 8080 << proxy << "support.example.com:https"_ba << false;
    QTest::newRow("configured, empty port")
        << loopback << 8080 << proxy << "support.example.com:"_ba << false;
    QTest::newRow("configured as a suffix")
        << loopback << 8080 << proxy << "support.example.com.evil.com"_ba << false;
    QTest::newRow("subdomain of configured")
        << loopback << 8080 << proxy << "evil.support.example.com"_ba << false;
    QTest::newRow("configured with a port, that port")
        << loopback << 8080 << QStringList{u"support.example.com:8443"_s}
        << "support.example.com:8443"_ba << true;
    QTest::newRow("configured with a port, another port")
        << loopback << 8080 << QStringList{u"support.example.com:8443"_s}
        << "support.example.com:9443"_ba << false;
    QTest::newRow("configured with a port, no port")
        << loopback << 8080 << QStringList{u"support.example.com:8443"_s}
        << "support.example.com"_ba << false;
    QTest::newRow("configured IPv6 literal")
        << loopback << 8080 << QStringList{u"[2001:db8::7]"_s} << "[2001:db8::7]:1234"_ba << true;
    QTest::newRow("blank configured name allows nothing")
        << loopback << 8080 << QStringList{u"  "_s} << " "_ba << false;
    QTest::newRow("configured does not allow localhost on other ports")
        << loopback << 8080 << proxy << "localhost:8081"_ba << false;

    // What a DNS rebinding page or a confused client sends.
    QTest::newRow("evil.com") << loopback << 8080 << proxy << "evil.com"_ba << false;
    QTest::newRow("evil.com with the port")
        << loopback << 8080 << proxy << "evil.com:8080"_ba << false;
    QTest::newRow("localhost:abc") << loopback << 8080 << proxy << "localhost:abc"_ba << false;
    QTest::newRow("port then name")
        << loopback << 8080 << none << "localhost:8080.evil.com"_ba << false;
    QTest::newRow("two ports") << loopback << 8080 << none << "localhost:8080:8080"_ba << false;
    QTest::newRow("user info") << loopback << 8080 << none << "evil.com@localhost:8080"_ba << false;
    QTest::newRow("rebinding service")
        << loopback << 8080 << none << "127.0.0.1.nip.io:8080"_ba << false;
    QTest::newRow("empty") << loopback << 8080 << proxy << QByteArray() << false;
    QTest::newRow("spaces only") << loopback << 8080 << proxy << "   "_ba << false;
}

void TestHostAllowList::allows()
{
    QFETCH(QString, boundAddress);
    QFETCH(int, port);
    QFETCH(QStringList, names);
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    const HostAllowList list(QHostAddress(boundAddress), quint16(port), names);
    QVERIFY2(list.allows(host) == allowed, qPrintable(list.describe().join(u", ")));
}

void TestHostAllowList::everyInterfaceWhenBoundToAll()
{
    const HostAllowList list(QHostAddress(QHostAddress::Any), 8443, {});
    const QList<QHostAddress> addresses = QNetworkInterface::allAddresses();
    QVERIFY(!addresses.isEmpty());
    for (QHostAddress address : addresses) {
        address.setScopeId(QString());
        const QByteArray text = address.toString().toLatin1();
        const QByteArray name = address.protocol() == QAbstractSocket::IPv6Protocol
                                    ? QByteArray('[' + text + ']')
                                    : text;
        QVERIFY2(list.allows(QByteArray(name + ":8443")), name.constData());
        QVERIFY2(!list.allows(QByteArray(name + ":8444")), name.constData());
    }
    QVERIFY(list.allows("localhost:8443"));
    QVERIFY(!list.allows("0.0.0.0:8443"));
    QVERIFY(!list.allows("evil.example:8443"));
}

void TestHostAllowList::emptyListAllowsNothing()
{
    const HostAllowList list;
    QVERIFY(!list.allows("localhost:8080"));
    QVERIFY(!list.allows("localhost"));
    QVERIFY(!list.allows(""));
    QVERIFY(list.describe().isEmpty());
}

void TestHostAllowList::describeNamesWhatIsAllowed()
{
    const HostAllowList list(QHostAddress(QHostAddress::LocalHost), 8080,
                             {u"Support.Example.com"_s});
    const QStringList described = list.describe();
    QVERIFY2(described.contains(u"localhost:8080"_s), qPrintable(described.join(u", ")));
    QVERIFY(described.contains(u"127.0.0.1:8080"_s));
    QVERIFY(described.contains(u"[::1]:8080"_s));
    QVERIFY(described.contains(u"support.example.com"_s));
    QVERIFY(!described.contains(u"localhost"_s));
    QVERIFY(std::is_sorted(described.cbegin(), described.cend()));
}

QTEST_GUILESS_MAIN(TestHostAllowList)
#include "tst_hostallowlist.moc"
