#include "role.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestRole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allows_data();
    void allows();
    void eachRoleMayDoWhatTheOneBeforeMay();
    void namesRoundTrip();
    void fromName_data();
    void fromName();
};

void TestRole::allows_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<Permission>("permission");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("agent works tickets") << Role::Agent << Permission::WorkTickets << true;
    QTest::newRow("agent reads statistics") << Role::Agent << Permission::ReadStatistics << false;
    QTest::newRow("agent administers") << Role::Agent << Permission::Administer << false;
    QTest::newRow("manager works tickets") << Role::Manager << Permission::WorkTickets << true;
    QTest::newRow("manager reads statistics")
        << Role::Manager << Permission::ReadStatistics << true;
    QTest::newRow("manager administers") << Role::Manager << Permission::Administer << false;
    QTest::newRow("admin works tickets") << Role::Admin << Permission::WorkTickets << true;
    QTest::newRow("admin reads statistics") << Role::Admin << Permission::ReadStatistics << true;
    QTest::newRow("admin administers") << Role::Admin << Permission::Administer << true;
}

void TestRole::allows()
{
    QFETCH(Role, role);
    QFETCH(Permission, permission);
    QFETCH(bool, allowed);
    QCOMPARE(roleAllows(role, permission), allowed);
}

void TestRole::eachRoleMayDoWhatTheOneBeforeMay()
{
    const Permission permissions[] = {Permission::WorkTickets, Permission::ReadStatistics,
                                      Permission::Administer};
    for (std::size_t i = 1; i < kAllRoles.size(); ++i) {
        for (Permission permission : permissions) {
            if (roleAllows(kAllRoles[i - 1], permission))
                QVERIFY(roleAllows(kAllRoles[i], permission));
        }
    }
}

void TestRole::namesRoundTrip()
{
    for (Role role : kAllRoles)
        QCOMPARE(roleFromName(QString(roleName(role))), role);
    // The names the database's CHECK constraint allows.
    QCOMPARE(roleName(Role::Agent), "agent"_L1);
    QCOMPARE(roleName(Role::Manager), "manager"_L1);
    QCOMPARE(roleName(Role::Admin), "admin"_L1);
}

void TestRole::fromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<std::optional<Role>>("role");

    QTest::newRow("agent") << u"agent"_s << std::optional(Role::Agent);
    QTest::newRow("manager") << u"manager"_s << std::optional(Role::Manager);
    QTest::newRow("admin") << u"admin"_s << std::optional(Role::Admin);
    QTest::newRow("wrong case") << u"Admin"_s << std::optional<Role>();
    QTest::newRow("unknown") << u"root"_s << std::optional<Role>();
    QTest::newRow("empty") << QString() << std::optional<Role>();
}

void TestRole::fromName()
{
    QFETCH(QString, name);
    QFETCH(std::optional<Role>, role);
    QCOMPARE(roleFromName(name), role);
}

QTEST_GUILESS_MAIN(TestRole)
#include "tst_role.moc"
