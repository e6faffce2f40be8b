#include "temporarydatabase.h"
#include "useraccounts.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestUserAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addStoresAHashedPassword();
    void addRefuses_data();
    void addRefuses();
    void addRefusesATakenName();
    void signIn_data();
    void signIn();
    void disabledUserCannotSignInUntilEnabled();
    void disableAndEnableUnknownUser();
    void setPasswordReplacesTheOldOne();
    void setPasswordRefuses_data();
    void setPasswordRefuses();
    void desktopOwnerIsMadeAnAdminOnce();
    void disabledDesktopOwnerIsNobody();
    void desktopOwnerCannotSignInWithAPassword();

private:
    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<UserAccounts> m_accounts;
    const Actor m_admin = Actor::user(u"admin"_s);
    const QString m_password = u"correct horse battery"_s;
};

void TestUserAccounts::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_accounts = std::make_unique<UserAccounts>(m_temporary->database());
}

void TestUserAccounts::cleanup()
{
    m_accounts.reset();
    m_temporary.reset();
}

void TestUserAccounts::addStoresAHashedPassword()
{
    const UserAccounts::Outcome added =
        m_accounts->add(u"alice"_s, Role::Manager, m_password, m_admin);
    QVERIFY2(added.ok(), qPrintable(added.problem));
    const std::optional<UserAccount> alice = m_accounts->find(u"alice"_s);
    QVERIFY(alice);
    QCOMPARE(alice->role, Role::Manager);
    QCOMPARE(alice->disabled, false);
    QCOMPARE(alice->createdBy, u"user:admin"_s);
    QVERIFY2(alice->passwordHash.startsWith("$argon2id$"), alice->passwordHash.constData());
    QVERIFY(!alice->passwordHash.contains(m_password.toUtf8()));
    QCOMPARE(m_accounts->list().size(), 1);
}

void TestUserAccounts::addRefuses_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("problem");

    QTest::newRow("empty name") << QString() << u"correct horse battery"_s << u"empty"_s;
    QTest::newRow("colon in the name") << u"ci:bot"_s << u"correct horse battery"_s << u"only"_s;
    QTest::newRow("space in the name") << u"ci bot"_s << u"correct horse battery"_s << u"only"_s;
    QTest::newRow("leading dash") << u"-alice"_s << u"correct horse battery"_s << u"'-'"_s;
    QTest::newRow("short password") << u"alice"_s << u"short"_s << u"shorter"_s;
    QTest::newRow("password holds the name")
        << u"alice"_s << u"alice-in-wonderland"_s << u"user name"_s;
    QTest::newRow("few characters") << u"alice"_s << u"abababababab"_s << u"different"_s;
    QTest::newRow("common password") << u"alice"_s << u"qwertyuiop"_s << u"common"_s;
}

void TestUserAccounts::addRefuses()
{
    QFETCH(QString, name);
    QFETCH(QString, password);
    QFETCH(QString, problem);
    const UserAccounts::Outcome added = m_accounts->add(name, Role::Admin, password, m_admin);
    QVERIFY(!added.ok());
    QVERIFY2(added.problem.contains(problem), qPrintable(added.problem));
    QVERIFY(m_accounts->list().isEmpty());
}

void TestUserAccounts::addRefusesATakenName()
{
    QVERIFY(m_accounts->add(u"alice"_s, Role::Agent, m_password, m_admin).ok());
    const UserAccounts::Outcome again =
        m_accounts->add(u"alice"_s, Role::Admin, u"another good passphrase"_s, m_admin);
    QVERIFY(!again.ok());
    QVERIFY2(again.problem.contains(u"alice"_s), qPrintable(again.problem));
    QVERIFY2(again.problem.contains(u"exists"_s), qPrintable(again.problem));
    // The first account stands, with its role and password.
    QCOMPARE(m_accounts->find(u"alice"_s)->role, Role::Agent);
    QVERIFY(m_accounts->signIn(u"alice"_s, m_password));
    QVERIFY(!m_accounts->signIn(u"alice"_s, u"another good passphrase"_s));
}

void TestUserAccounts::signIn_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("signedIn");

    QTest::newRow("right") << u"alice"_s << u"correct horse battery"_s << true;
    QTest::newRow("wrong password") << u"alice"_s << u"correct horse battery!"_s << false;
    QTest::newRow("password in other case") << u"alice"_s << u"Correct Horse Battery"_s << false;
    QTest::newRow("empty password") << u"alice"_s << QString() << false;
    QTest::newRow("another user's password") << u"bob"_s << u"correct horse battery"_s << false;
    QTest::newRow("unknown user") << u"mallory"_s << u"correct horse battery"_s << false;
    QTest::newRow("name in other case") << u"Alice"_s << u"correct horse battery"_s << false;
}

void TestUserAccounts::signIn()
{
    QFETCH(QString, name);
    QFETCH(QString, password);
    QFETCH(bool, signedIn);
    QVERIFY(m_accounts->add(u"alice"_s, Role::Manager, m_password, m_admin).ok());
    QVERIFY(m_accounts->add(u"bob"_s, Role::Agent, u"a secret of my own"_s, m_admin).ok());
    const std::optional<UserAccount> user = m_accounts->signIn(name, password);
    QCOMPARE(user.has_value(), signedIn);
    if (signedIn) {
        QCOMPARE(user->name, name);
        QCOMPARE(user->role, Role::Manager);
    }
}

void TestUserAccounts::disabledUserCannotSignInUntilEnabled()
{
    QVERIFY(m_accounts->add(u"alice"_s, Role::Agent, m_password, m_admin).ok());
    QVERIFY(m_accounts->disable(u"alice"_s, m_admin).ok());
    QCOMPARE(m_accounts->find(u"alice"_s)->disabled, true);
    QVERIFY(!m_accounts->signIn(u"alice"_s, m_password));
    QVERIFY(m_accounts->enable(u"alice"_s, m_admin).ok());
    const std::optional<UserAccount> alice = m_accounts->signIn(u"alice"_s, m_password);
    QVERIFY(alice);
    QCOMPARE(alice->disabled, false);
}

void TestUserAccounts::disableAndEnableUnknownUser()
{
    const UserAccounts::Outcome disabled = m_accounts->disable(u"nobody"_s, m_admin);
    QVERIFY(!disabled.ok());
    QVERIFY2(disabled.problem.contains(u"nobody"_s), qPrintable(disabled.problem));
    QVERIFY(!m_accounts->enable(u"nobody"_s, m_admin).ok());
    QVERIFY(m_accounts->list().isEmpty());
}

void TestUserAccounts::setPasswordReplacesTheOldOne()
{
    QVERIFY(m_accounts->add(u"alice"_s, Role::Agent, m_password, m_admin).ok());
    const QByteArray oldHash = m_accounts->find(u"alice"_s)->passwordHash;
    const UserAccounts::Outcome changed =
        m_accounts->setPassword(u"alice"_s, u"a brand new passphrase"_s, m_admin);
    QVERIFY2(changed.ok(), qPrintable(changed.problem));
    QVERIFY(m_accounts->find(u"alice"_s)->passwordHash != oldHash);
    QVERIFY(!m_accounts->signIn(u"alice"_s, m_password));
    QVERIFY(m_accounts->signIn(u"alice"_s, u"a brand new passphrase"_s));
}

void TestUserAccounts::setPasswordRefuses_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("problem");

    QTest::newRow("unknown user") << u"nobody"_s << u"a brand new passphrase"_s << u"nobody"_s;
    QTest::newRow("short") << u"alice"_s << u"tiny"_s << u"shorter"_s;
    QTest::newRow("holds the name") << u"alice"_s << u"ALICE1234567"_s << u"user name"_s;
    QTest::newRow("common") << u"alice"_s << u"letmein123"_s << u"common"_s;
}

void TestUserAccounts::setPasswordRefuses()
{
    QFETCH(QString, name);
    QFETCH(QString, password);
    QFETCH(QString, problem);
    QVERIFY(m_accounts->add(u"alice"_s, Role::Agent, m_password, m_admin).ok());
    const QByteArray oldHash = m_accounts->find(u"alice"_s)->passwordHash;
    const UserAccounts::Outcome changed = m_accounts->setPassword(name, password, m_admin);
    QVERIFY(!changed.ok());
    QVERIFY2(changed.problem.contains(problem), qPrintable(changed.problem));
    QCOMPARE(m_accounts->find(u"alice"_s)->passwordHash, oldHash);
    QVERIFY(!m_accounts->find(u"nobody"_s));
}

void TestUserAccounts::desktopOwnerIsMadeAnAdminOnce()
{
    const std::optional<UserAccount> owner = m_accounts->desktopOwner(u"carol"_s);
    QVERIFY(owner);
    QCOMPARE(owner->name, u"carol"_s);
    QCOMPARE(owner->role, Role::Admin);
    QVERIFY(owner->passwordHash.isEmpty());
    QCOMPARE(owner->createdBy, u"system:desktop"_s);
    QVERIFY(owner->id > 0);

    // The next start finds the same account, and makes no other.
    const std::optional<UserAccount> again = m_accounts->desktopOwner(u"carol"_s);
    QVERIFY(again);
    QCOMPARE(again->id, owner->id);
    QCOMPARE(m_accounts->list().size(), 1);

    // A role an admin gave the account later is kept; it is not made an admin again.
    UserRepository users(m_temporary->database());
    QVERIFY(users.setRole(u"carol"_s, Role::Agent));
    QCOMPARE(m_accounts->desktopOwner(u"carol"_s)->role, Role::Agent);
    QCOMPARE(m_accounts->list().size(), 1);
}

void TestUserAccounts::disabledDesktopOwnerIsNobody()
{
    QVERIFY(m_accounts->desktopOwner(u"carol"_s));
    QVERIFY(m_accounts->disable(u"carol"_s, m_admin).ok());
    QVERIFY(!m_accounts->desktopOwner(u"carol"_s));
    // And it is not made again, enabled, behind the admin's back.
    QCOMPARE(m_accounts->list().size(), 1);
    QCOMPARE(m_accounts->find(u"carol"_s)->disabled, true);
    QVERIFY(m_accounts->enable(u"carol"_s, m_admin).ok());
    QVERIFY(m_accounts->desktopOwner(u"carol"_s));
}

void TestUserAccounts::desktopOwnerCannotSignInWithAPassword()
{
    QVERIFY(m_accounts->desktopOwner(u"carol"_s));
    QVERIFY(!m_accounts->signIn(u"carol"_s, QString()));
    QVERIFY(!m_accounts->signIn(u"carol"_s, m_password));
}

QTEST_GUILESS_MAIN(TestUserAccounts)
#include "tst_useraccounts.moc"
