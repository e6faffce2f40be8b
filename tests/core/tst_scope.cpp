#include "scope.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestScope : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip();
    void parsesNames_data();
    void parsesNames();
    void unknownNamesAreNamedInTheError_data();
    void unknownNamesAreNamedInTheError();
    void noNameIsAnError_data();
    void noNameIsAnError();
    void textIsInAFixedOrder_data();
    void textIsInAFixedOrder();
    void textParsesBack();
};

void TestScope::namesRoundTrip()
{
    for (Scope scope : kAllScopes)
        QCOMPARE(scopeFromName(QString(scopeName(scope))), scope);
    QCOMPARE(scopeName(Scope::TicketsRead), "tickets:read"_L1);
    QCOMPARE(scopeName(Scope::TicketsWrite), "tickets:write"_L1);
    QCOMPARE(scopeName(Scope::StatsRead), "stats:read"_L1);
    QCOMPARE(scopeName(Scope::RepliesWrite), "replies:write"_L1);
    // Names are exact, as the wire and the database spell them.
    QCOMPARE(scopeFromName(u"Tickets:Read"_s), std::nullopt);
    QCOMPARE(scopeFromName(u"tickets"_s), std::nullopt);
}

void TestScope::parsesNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Scopes>("scopes");

    QTest::newRow("one") << u"tickets:read"_s << Scopes(Scope::TicketsRead);
    QTest::newRow("commas") << u"tickets:read,stats:read"_s
                            << (Scope::TicketsRead | Scope::StatsRead);
    QTest::newRow("spaces") << u"tickets:write stats:read"_s
                            << (Scope::TicketsWrite | Scope::StatsRead);
    QTest::newRow("comma and space")
        << u"tickets:read, tickets:write"_s << (Scope::TicketsRead | Scope::TicketsWrite);
    QTest::newRow("tabs, newlines, runs of separators")
        << u"  tickets:read\t,,\nstats:read ,"_s << (Scope::TicketsRead | Scope::StatsRead);
    QTest::newRow("repeated") << u"stats:read stats:read"_s << Scopes(Scope::StatsRead);
    QTest::newRow("all, any order")
        << u"stats:read tickets:write tickets:read"_s
        << (Scope::TicketsRead | Scope::TicketsWrite | Scope::StatsRead);
}

void TestScope::parsesNames()
{
    QFETCH(QString, text);
    QFETCH(Scopes, scopes);
    const Validated<Scopes> parsed = parseScopes(text);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errors.value(0).message));
    QCOMPARE(parsed.value, scopes);
}

void TestScope::unknownNamesAreNamedInTheError_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("unknown");

    QTest::newRow("alone") << u"admin"_s << QStringList{u"admin"_s};
    QTest::newRow("beside known ones")
        << u"tickets:read, tickets:delete stats:read"_s << QStringList{u"tickets:delete"_s};
    QTest::newRow("two") << u"root,tickets:read,everything"_s
                         << QStringList{u"root"_s, u"everything"_s};
    QTest::newRow("wrong case") << u"TICKETS:READ"_s << QStringList{u"TICKETS:READ"_s};
}

void TestScope::unknownNamesAreNamedInTheError()
{
    QFETCH(QString, text);
    QFETCH(QStringList, unknown);
    const Validated<Scopes> parsed = parseScopes(text);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.errors.size(), 1);
    QCOMPARE(parsed.errors.first().field, u"scopes"_s);
    const QString &message = parsed.errors.first().message;
    for (const QString &name : unknown)
        QVERIFY2(message.contains(name), qPrintable(message));
    // And it says what would have been right.
    for (Scope scope : kAllScopes)
        QVERIFY2(message.contains(scopeName(scope)), qPrintable(message));
}

void TestScope::noNameIsAnError_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("null") << QString();
    QTest::newRow("empty") << u""_s;
    QTest::newRow("separators only") << u" , ,\t"_s;
}

void TestScope::noNameIsAnError()
{
    QFETCH(QString, text);
    const Validated<Scopes> parsed = parseScopes(text);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.errors.size(), 1);
    QCOMPARE(parsed.errors.first().field, u"scopes"_s);
    QVERIFY2(parsed.errors.first().message.contains(u"tickets:read"_s),
             qPrintable(parsed.errors.first().message));
    QVERIFY(!parsed.value);
}

void TestScope::textIsInAFixedOrder_data()
{
    QTest::addColumn<Scopes>("scopes");
    QTest::addColumn<QString>("text");

    QTest::newRow("none") << Scopes() << QString();
    QTest::newRow("one") << Scopes(Scope::StatsRead) << u"stats:read"_s;
    QTest::newRow("write before stats")
        << (Scope::StatsRead | Scope::TicketsWrite) << u"tickets:write stats:read"_s;
    QTest::newRow("all") << (Scope::StatsRead | Scope::TicketsWrite | Scope::TicketsRead)
                         << u"tickets:read tickets:write stats:read"_s;
}

void TestScope::textIsInAFixedOrder()
{
    QFETCH(Scopes, scopes);
    QFETCH(QString, text);
    QCOMPARE(scopesText(scopes), text);
}

void TestScope::textParsesBack()
{
    // Every combination survives the trip through the database column.
    for (unsigned bits = 1; bits < 8; ++bits) {
        const Scopes scopes = Scopes::fromInt(bits);
        const Validated<Scopes> parsed = parseScopes(scopesText(scopes));
        QVERIFY(parsed.isValid());
        QCOMPARE(parsed.value, scopes);
    }
}

QTEST_GUILESS_MAIN(TestScope)
#include "tst_scope.moc"
