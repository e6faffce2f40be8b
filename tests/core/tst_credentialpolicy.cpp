#include "credentialpolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace CredentialPolicy;

class TestCredentialPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data();
    void names();
    void passwords_data();
    void passwords();
};

void TestCredentialPolicy::names_data()
{
    QTest::addColumn<QString>("name");
    // A word the problem must mention; empty when the name is fine.
    QTest::addColumn<QString>("problem");

    QTest::newRow("letters") << u"alice"_s << QString();
    QTest::newRow("every allowed character") << u"Ops.bot_2-x@example.com"_s << QString();
    QTest::newRow("one character") << u"a"_s << QString();
    QTest::newRow("64 characters") << QString(kMaxNameLength, u'n') << QString();
    QTest::newRow("dash inside") << u"ci-runner"_s << QString();
    QTest::newRow("65 characters") << QString(kMaxNameLength + 1, u'n') << u"longer"_s;
    QTest::newRow("empty") << QString() << u"empty"_s;
    QTest::newRow("colon") << u"ci:runner"_s << u"only"_s;
    QTest::newRow("space") << u"ci runner"_s << u"only"_s;
    QTest::newRow("slash") << u"ci/runner"_s << u"only"_s;
    QTest::newRow("non-ASCII letter") << u"jos\u00e9"_s << u"only"_s;
    QTest::newRow("quote") << u"bob\""_s << u"only"_s;
    QTest::newRow("leading dash") << u"-rf"_s << u"'-'"_s;
    QTest::newRow("leading dash, otherwise fine") << u"-alice"_s << u"'-'"_s;
}

void TestCredentialPolicy::names()
{
    QFETCH(QString, name);
    QFETCH(QString, problem);
    const QString found = nameProblem(name);
    if (problem.isEmpty()) {
        QVERIFY2(found.isEmpty(), qPrintable(found));
    } else {
        QVERIFY2(found.contains(problem), qPrintable(found));
    }
}

void TestCredentialPolicy::passwords_data()
{
    QTest::addColumn<QString>("userName");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("problem");

    QTest::newRow("good") << u"alice"_s << u"correct horse battery"_s << QString();
    QTest::newRow("exactly the minimum")
        << u"alice"_s << QString(u"abcdefghij"_s.left(kMinPasswordLength)) << QString();
    QTest::newRow("exactly the maximum")
        << u"alice"_s << QString(u"abcdefgh"_s.repeated(kMaxPasswordLength / 8)) << QString();
    QTest::newRow("short") << u"alice"_s << u"Ab3$xyz!q"_s << u"shorter"_s;
    QTest::newRow("empty") << u"alice"_s << QString() << u"shorter"_s;
    QTest::newRow("long") << u"alice"_s
                          << QString(u"abcdefgh"_s.repeated(kMaxPasswordLength / 8) + u'x')
                          << u"longer"_s;
    QTest::newRow("contains the user name") << u"alice"_s << u"xx-alice-2024!"_s << u"user name"_s;
    QTest::newRow("contains the user name, other case")
        << u"alice"_s << u"my ALiCe password"_s << u"user name"_s;
    QTest::newRow("is the user name's case variant")
        << u"Administrator"_s << u"aDMINISTRATOR"_s << u"user name"_s;
    // Too short a name would forbid too many passwords.
    QTest::newRow("two-letter user name inside") << u"al"_s << u"always mind gaps"_s << QString();
    QTest::newRow("one character repeated") << u"alice"_s << u"aaaaaaaaaaaa"_s << u"different"_s;
    QTest::newRow("two characters alternating") << u"alice"_s << u"1212121212"_s << u"different"_s;
    QTest::newRow("four distinct, case folded")
        << u"alice"_s << u"abcdABCDabcd"_s << u"different"_s;
    QTest::newRow("five distinct") << u"alice"_s << u"abcdeabcde"_s << QString();
    QTest::newRow("common digits") << u"alice"_s << u"1234567890"_s << u"common"_s;
    QTest::newRow("common keyboard row") << u"alice"_s << u"qwertyuiop"_s << u"common"_s;
    QTest::newRow("common, other case") << u"alice"_s << u"PASSWORD123"_s << u"common"_s;
    QTest::newRow("common word") << u"bob"_s << u"Welcome123"_s << u"common"_s;
}

void TestCredentialPolicy::passwords()
{
    QFETCH(QString, userName);
    QFETCH(QString, password);
    QFETCH(QString, problem);
    const QString found = passwordProblem(userName, password);
    if (problem.isEmpty()) {
        QVERIFY2(found.isEmpty(), qPrintable(found));
    } else {
        QVERIFY2(found.contains(problem), qPrintable(found));
    }
}

QTEST_GUILESS_MAIN(TestCredentialPolicy)
#include "tst_credentialpolicy.moc"
