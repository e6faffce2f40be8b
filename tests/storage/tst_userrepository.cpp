#include "temporarydatabase.h"
#include "timestamps.h"
#include "userrepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestUserRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addFillsInTheStoredUser();
    void everyRoleIsStored_data();
    void everyRoleIsStored();
    void noPasswordIsStoredAsNone();
    void nameIsTaken();
    void unknownNameIsNotFound();
    void listIsByName();
    void disableAndEnable();
    void passwordHashChanges();
    void roleChanges();
    void changesToUnknownNamesReportFalse();

private:
    UserAccount user(const QString &name, Role role = Role::Agent) const;

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestUserRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestUserRepository::cleanup()
{
    m_temporary.reset();
}

UserAccount TestUserRepository::user(const QString &name, Role role) const
{
    UserAccount account;
    account.name = name;
    account.role = role;
    account.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    account.createdBy = u"system:tests"_s;
    return account;
}

void TestUserRepository::addFillsInTheStoredUser()
{
    UserRepository users(m_temporary->database());
    UserAccount alice = user(u"alice"_s, Role::Manager);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(users.add(alice));
    QVERIFY(alice.id > 0);
    QVERIFY(alice.createdAt.isValid());
    QVERIFY(Timestamps::toMs(alice.createdAt) >= before);

    UserAccount bob = user(u"bob"_s);
    bob.createdAt = Timestamps::fromMs(1'700'000'000'123);
    QVERIFY(users.add(bob));
    QVERIFY(bob.id != alice.id);
    QCOMPARE(Timestamps::toMs(bob.createdAt), 1'700'000'000'123);

    const std::optional<UserAccount> found = users.find(u"alice"_s);
    QVERIFY(found);
    QCOMPARE(found->id, alice.id);
    QCOMPARE(found->name, u"alice"_s);
    QCOMPARE(found->role, Role::Manager);
    QCOMPARE(found->passwordHash, user(u"alice"_s).passwordHash);
    QCOMPARE(found->disabled, false);
    QCOMPARE(found->createdBy, u"system:tests"_s);
    QCOMPARE(Timestamps::toMs(found->createdAt), Timestamps::toMs(alice.createdAt));
}

void TestUserRepository::everyRoleIsStored_data()
{
    QTest::addColumn<Role>("role");
    for (Role role : kAllRoles)
        QTest::newRow(roleName(role).data()) << role;
}

void TestUserRepository::everyRoleIsStored()
{
    QFETCH(Role, role);
    UserRepository users(m_temporary->database());
    UserAccount account = user(u"someone"_s, role);
    account.disabled = true;
    QVERIFY(users.add(account));
    QCOMPARE(users.find(u"someone"_s)->role, role);
    QCOMPARE(users.find(u"someone"_s)->disabled, true);
}

void TestUserRepository::noPasswordIsStoredAsNone()
{
    UserRepository users(m_temporary->database());
    UserAccount owner = user(u"owner"_s, Role::Admin);
    owner.passwordHash.clear();
    QVERIFY(users.add(owner));
    QVERIFY(users.find(u"owner"_s)->passwordHash.isEmpty());
    // NULL in the database, not an empty string: the column's documented meaning.
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.exec(u"SELECT password_hash IS NULL FROM users WHERE name = 'owner'"_s));
    QVERIFY(query.next());
    QVERIFY(query.value(0).toBool());
}

void TestUserRepository::nameIsTaken()
{
    UserRepository users(m_temporary->database());
    UserAccount first = user(u"alice"_s, Role::Admin);
    QVERIFY(users.add(first));
    UserAccount second = user(u"alice"_s, Role::Agent);
    second.passwordHash = "other";
    QVERIFY(!users.add(second));
    QCOMPARE(second.id, 0);
    // The first one is untouched.
    const std::optional<UserAccount> stored = users.find(u"alice"_s);
    QCOMPARE(stored->id, first.id);
    QCOMPARE(stored->role, Role::Admin);
    QCOMPARE(stored->passwordHash, first.passwordHash);
    QCOMPARE(users.list().size(), 1);
    // Names are compared exactly.
    UserAccount other = user(u"Alice"_s);
    QVERIFY(users.add(other));
}

void TestUserRepository::unknownNameIsNotFound()
{
    UserRepository users(m_temporary->database());
    QVERIFY(!users.find(u"nobody"_s));
    UserAccount alice = user(u"alice"_s);
    QVERIFY(users.add(alice));
    QVERIFY(!users.find(u"alic"_s));
    QVERIFY(!users.find(u"alice "_s));
    QVERIFY(!users.find(u"%"_s));
}

void TestUserRepository::listIsByName()
{
    UserRepository users(m_temporary->database());
    QVERIFY(users.list().isEmpty());
    for (const QString &name : {u"carol"_s, u"alice"_s, u"bob"_s}) {
        UserAccount account = user(name);
        QVERIFY(users.add(account));
    }
    QVERIFY(users.setDisabled(u"bob"_s, true));
    const QList<UserAccount> listed = users.list();
    QCOMPARE(listed.size(), 3);
    QCOMPARE(listed.at(0).name, u"alice"_s);
    QCOMPARE(listed.at(1).name, u"bob"_s);
    QCOMPARE(listed.at(1).disabled, true);
    QCOMPARE(listed.at(2).name, u"carol"_s);
}

void TestUserRepository::disableAndEnable()
{
    UserRepository users(m_temporary->database());
    UserAccount alice = user(u"alice"_s);
    QVERIFY(users.add(alice));
    QVERIFY(users.setDisabled(u"alice"_s, true));
    QCOMPARE(users.find(u"alice"_s)->disabled, true);
    // Disabling twice is no error: the user is disabled.
    QVERIFY(users.setDisabled(u"alice"_s, true));
    QCOMPARE(users.find(u"alice"_s)->disabled, true);
    QVERIFY(users.setDisabled(u"alice"_s, false));
    QCOMPARE(users.find(u"alice"_s)->disabled, false);
}

void TestUserRepository::passwordHashChanges()
{
    UserRepository users(m_temporary->database());
    UserAccount alice = user(u"alice"_s);
    UserAccount bob = user(u"bob"_s);
    QVERIFY(users.add(alice));
    QVERIFY(users.add(bob));
    QVERIFY(users.setPasswordHash(u"alice"_s, "$argon2id$new"));
    QCOMPARE(users.find(u"alice"_s)->passwordHash, QByteArray("$argon2id$new"));
    QCOMPARE(users.find(u"bob"_s)->passwordHash, bob.passwordHash);
}

void TestUserRepository::roleChanges()
{
    UserRepository users(m_temporary->database());
    UserAccount alice = user(u"alice"_s, Role::Agent);
    QVERIFY(users.add(alice));
    QVERIFY(users.setRole(u"alice"_s, Role::Admin));
    QCOMPARE(users.find(u"alice"_s)->role, Role::Admin);
    QVERIFY(users.setRole(u"alice"_s, Role::Manager));
    QCOMPARE(users.find(u"alice"_s)->role, Role::Manager);
}

void TestUserRepository::changesToUnknownNamesReportFalse()
{
    UserRepository users(m_temporary->database());
    UserAccount alice = user(u"alice"_s);
    QVERIFY(users.add(alice));
    QVERIFY(!users.setDisabled(u"nobody"_s, true));
    QVERIFY(!users.setPasswordHash(u"nobody"_s, "x"));
    QVERIFY(!users.setRole(u"nobody"_s, Role::Admin));
    QVERIFY(!users.find(u"nobody"_s));
    QCOMPARE(users.list().size(), 1);
}

QTEST_GUILESS_MAIN(TestUserRepository)
#include "tst_userrepository.moc"
