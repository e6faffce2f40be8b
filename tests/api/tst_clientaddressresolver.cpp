#include "clientaddressresolver.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestClientAddressResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseSubnets_data();
    void parseSubnets();
    void parseErrorsNameTheEntry();
    void resolve_data();
    void resolve();
    void isTrustedSeesMappedAddressesAsIpv4();
    void partitionKey_data();
    void partitionKey();
};

namespace {

QStringList subnetTexts(const QList<ClientAddressResolver::Subnet> &subnets)
{
    QStringList texts;
    for (const auto &[address, prefix] : subnets)
        texts.append(address.toString() + u'/' + QString::number(prefix));
    return texts;
}

ClientAddressResolver resolverTrusting(const QString &list)
{
    const ClientAddressResolver::ParsedSubnets parsed = ClientAddressResolver::parseSubnets(list);
    if (!parsed.isValid())
        qFatal("bad test list: %s", qPrintable(parsed.errors.join(u' ')));
    return ClientAddressResolver(parsed.subnets);
}

} // namespace

void TestClientAddressResolver::parseSubnets_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QStringList>("subnets");
    QTest::addColumn<int>("errors");

    QTest::newRow("subnet and host")
        << u"10.0.0.0/8, 192.168.1.5"_s << QStringList{u"10.0.0.0/8"_s, u"192.168.1.5/32"_s} << 0;
    QTest::newRow("empty") << QString() << QStringList() << 0;
    QTest::newRow("only separators") << u" ,, \t"_s << QStringList() << 0;
    QTest::newRow("spaces only between")
        << u"127.0.0.1 ::1"_s << QStringList{u"127.0.0.1/32"_s, u"::1/128"_s} << 0;
    QTest::newRow("IPv6 subnet") << u"2001:db8::/32"_s << QStringList{u"2001:db8::/32"_s} << 0;
    QTest::newRow("host bits cleared") << u"10.1.2.3/8"_s << QStringList{u"10.0.0.0/8"_s} << 0;
    QTest::newRow("prefix 0") << u"0.0.0.0/0"_s << QStringList{u"0.0.0.0/0"_s} << 0;
    QTest::newRow("mapped subnet kept as written")
        << u"::ffff:10.0.0.0/104"_s << QStringList{u"::ffff:10.0.0.0/104"_s} << 0;
    QTest::newRow("bad among good") << u"10.0.0.0/8, proxy.local, 192.168.1.5"_s
                                    << QStringList{u"10.0.0.0/8"_s, u"192.168.1.5/32"_s} << 1;
    QTest::newRow("octet out of range") << u"10.0.0.300"_s << QStringList() << 1;
    QTest::newRow("short IPv4 form") << u"10/8"_s << QStringList() << 1;
    QTest::newRow("three parts") << u"10.0.1"_s << QStringList() << 1;
    QTest::newRow("leading zero") << u"010.0.0.1"_s << QStringList() << 1;
    QTest::newRow("hex part") << u"0x7f.0.0.1"_s << QStringList() << 1;
    QTest::newRow("prefix too long") << u"10.0.0.0/33"_s << QStringList() << 1;
    QTest::newRow("IPv6 prefix too long") << u"::1/129"_s << QStringList() << 1;
    QTest::newRow("no prefix after slash") << u"10.0.0.0/"_s << QStringList() << 1;
    QTest::newRow("no address before slash") << u"/8"_s << QStringList() << 1;
    QTest::newRow("netmask instead of prefix") << u"10.0.0.0/255.0.0.0"_s << QStringList() << 1;
    QTest::newRow("negative prefix") << u"10.0.0.0/-1"_s << QStringList() << 1;
    QTest::newRow("two bad") << u"a b"_s << QStringList() << 2;
}

void TestClientAddressResolver::parseSubnets()
{
    QFETCH(QString, list);
    QFETCH(QStringList, subnets);
    QFETCH(int, errors);

    const ClientAddressResolver::ParsedSubnets parsed = ClientAddressResolver::parseSubnets(list);
    QCOMPARE(subnetTexts(parsed.subnets), subnets);
    QCOMPARE(parsed.errors.size(), errors);
    QCOMPARE(parsed.isValid(), errors == 0);
}

void TestClientAddressResolver::parseErrorsNameTheEntry()
{
    const ClientAddressResolver::ParsedSubnets parsed =
        ClientAddressResolver::parseSubnets(u"10.0.0.0/8, proxy.local, 10.0.0.0/40"_s);
    QCOMPARE(parsed.errors.size(), 2);
    QVERIFY2(parsed.errors.at(0).contains(u"\"proxy.local\" is not an IP address or subnet"_s),
             qPrintable(parsed.errors.at(0)));
    QVERIFY2(parsed.errors.at(1).contains(u"\"10.0.0.0/40\""_s) &&
                 parsed.errors.at(1).contains(u"from 0 to 32"_s),
             qPrintable(parsed.errors.at(1)));
}

void TestClientAddressResolver::resolve_data()
{
    QTest::addColumn<QString>("trusted");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QByteArrayList>("forwardedFor");
    QTest::addColumn<QString>("client");

    const QString proxies = u"10.0.0.0/8, 192.168.0.0/16"_s;
    const QString proxy = u"10.0.0.1"_s;

    QTest::newRow("no proxy trusted: header ignored")
        << QString() << proxy << QByteArrayList{"198.51.100.7"} << proxy;
    QTest::newRow("untrusted peer: header ignored")
        << proxies << u"203.0.113.9"_s << QByteArrayList{"198.51.100.7"} << u"203.0.113.9"_s;
    QTest::newRow("trusted peer without header") << proxies << proxy << QByteArrayList() << proxy;
    QTest::newRow("trusted peer with empty header")
        << proxies << proxy << QByteArrayList{""} << proxy;
    QTest::newRow("one hop") << proxies << proxy << QByteArrayList{"198.51.100.7"}
                             << u"198.51.100.7"_s;
    QTest::newRow("client's own entries on the left are not believed")
        << proxies << proxy << QByteArrayList{"1.1.1.1, 10.0.0.9, 198.51.100.7"}
        << u"198.51.100.7"_s;
    QTest::newRow("several trusted hops")
        << proxies << proxy << QByteArrayList{"198.51.100.7, 192.168.1.2, 10.0.0.5"}
        << u"198.51.100.7"_s;
    QTest::newRow("several header lines, read right to left")
        << proxies << proxy << QByteArrayList{"1.1.1.1, 198.51.100.7", "192.168.1.2", "10.0.0.5"}
        << u"198.51.100.7"_s;
    QTest::newRow("only trusted hops: the leftmost")
        << proxies << proxy << QByteArrayList{"10.0.0.5, 192.168.1.2"} << u"10.0.0.5"_s;
    QTest::newRow("white space and empty elements")
        << proxies << proxy << QByteArrayList{" 198.51.100.7 ,, \t10.0.0.5 , "}
        << u"198.51.100.7"_s;
    QTest::newRow("malformed first: the peer")
        << proxies << proxy << QByteArrayList{"198.51.100.7, unknown"} << proxy;
    QTest::newRow("malformed after a trusted hop: that hop")
        << proxies << proxy << QByteArrayList{"198.51.100.7, _hidden, 10.0.0.5"} << u"10.0.0.5"_s;
    QTest::newRow("malformed left of the client: never read")
        << proxies << proxy << QByteArrayList{"<script>, 198.51.100.7"} << u"198.51.100.7"_s;
    QTest::newRow("short IPv4 form is malformed")
        << proxies << proxy << QByteArrayList{"198.51.100.7, 10.5"} << proxy;
    QTest::newRow("subnet is malformed")
        << proxies << proxy << QByteArrayList{"198.51.100.0/24"} << proxy;
    QTest::newRow("IPv4 with port")
        << proxies << proxy << QByteArrayList{"198.51.100.7:51000"} << u"198.51.100.7"_s;
    QTest::newRow("IPv4 with a bad port")
        << proxies << proxy << QByteArrayList{"198.51.100.7:http"} << proxy;
    QTest::newRow("IPv6 client") << proxies << proxy << QByteArrayList{"2001:db8:5::7"}
                                 << u"2001:db8:5::7"_s;
    QTest::newRow("bracketed IPv6 with port")
        << proxies << proxy << QByteArrayList{"[2001:db8:5::7]:4711"} << u"2001:db8:5::7"_s;
    QTest::newRow("bracketed IPv6 without port")
        << proxies << proxy << QByteArrayList{"[2001:db8:5::7]"} << u"2001:db8:5::7"_s;
    QTest::newRow("bracketed IPv4 is malformed")
        << proxies << proxy << QByteArrayList{"[198.51.100.7]"} << proxy;
    QTest::newRow("IPv6 proxies") << u"2001:db8::/32"_s << u"2001:db8::1"_s
                                  << QByteArrayList{"2600::7, 2001:db8:ff::2"} << u"2600::7"_s;
    QTest::newRow("IPv6 loopback proxy")
        << u"::1"_s << u"::1"_s << QByteArrayList{"198.51.100.7"} << u"198.51.100.7"_s;
    QTest::newRow("mapped trusted peer")
        << proxies << u"::ffff:10.0.0.1"_s << QByteArrayList{"198.51.100.7"} << u"198.51.100.7"_s;
    QTest::newRow("mapped untrusted peer comes back as IPv4")
        << proxies << u"::ffff:203.0.113.9"_s << QByteArrayList{"198.51.100.7"} << u"203.0.113.9"_s;
    QTest::newRow("mapped client comes back as IPv4")
        << proxies << proxy << QByteArrayList{"::ffff:198.51.100.7"} << u"198.51.100.7"_s;
    QTest::newRow("mapped trusted hop")
        << proxies << proxy << QByteArrayList{"198.51.100.7, ::ffff:10.0.0.5"} << u"198.51.100.7"_s;
    QTest::newRow("proxy listed as a mapped subnet")
        << u"::ffff:10.0.0.0/104"_s << proxy << QByteArrayList{"198.51.100.7"} << u"198.51.100.7"_s;
}

void TestClientAddressResolver::resolve()
{
    QFETCH(QString, trusted);
    QFETCH(QString, peer);
    QFETCH(QByteArrayList, forwardedFor);
    QFETCH(QString, client);

    const ClientAddressResolver resolver = resolverTrusting(trusted);
    QCOMPARE(resolver.resolve(QHostAddress(peer), forwardedFor), QHostAddress(client));
}

void TestClientAddressResolver::isTrustedSeesMappedAddressesAsIpv4()
{
    const ClientAddressResolver resolver = resolverTrusting(u"10.0.0.0/8"_s);
    QVERIFY(resolver.isTrusted(QHostAddress(u"::ffff:10.1.2.3"_s)));
    QVERIFY(resolver.isTrusted(QHostAddress(u"10.1.2.3"_s)));
    QVERIFY(!resolver.isTrusted(QHostAddress(u"::ffff:11.1.2.3"_s)));
    QVERIFY(!resolver.isTrusted(QHostAddress()));
    QVERIFY(!ClientAddressResolver().isTrusted(QHostAddress(u"10.1.2.3"_s)));
}

void TestClientAddressResolver::partitionKey_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("key");

    QTest::newRow("IPv4") << u"203.0.113.7"_s << u"203.0.113.7"_s;
    QTest::newRow("mapped IPv4") << u"::ffff:203.0.113.7"_s << u"203.0.113.7"_s;
    QTest::newRow("IPv6: its /64") << u"2001:db8:1:2:3:4:5:6"_s << u"2001:db8:1:2::/64"_s;
    QTest::newRow("same /64, other host") << u"2001:db8:1:2:ffff::1"_s << u"2001:db8:1:2::/64"_s;
    QTest::newRow("IPv6 loopback") << u"::1"_s << u"::/64"_s;
}

void TestClientAddressResolver::partitionKey()
{
    QFETCH(QString, address);
    QFETCH(QString, key);
    QCOMPARE(ClientAddressResolver::partitionKey(QHostAddress(address)), key);
}

QTEST_GUILESS_MAIN(TestClientAddressResolver)
#include "tst_clientaddressresolver.moc"
