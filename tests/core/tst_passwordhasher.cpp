#include "passwordhasher.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void hashIsArgon2id();
    void verifiesTheRightPassword_data();
    void verifiesTheRightPassword();
    void refusesWrongPasswords_data();
    void refusesWrongPasswords();
    void eachHashHasItsOwnSalt();
    void malformedHashIsRefused_data();
    void malformedHashIsRefused();

private:
    // Hashing costs a tenth of a second and 64 MiB: one hash shared by the tests that only read.
    QByteArray m_hash;
    const QString m_password = u"correct horse battery staple"_s;
};

void TestPasswordHasher::initTestCase()
{
    m_hash = PasswordHasher::hash(m_password);
    QVERIFY(!m_hash.isEmpty());
}

void TestPasswordHasher::hashIsArgon2id()
{
    QVERIFY2(m_hash.startsWith("$argon2id$"), m_hash.constData());
    // Salt and parameters travel with the hash; the password does not.
    QVERIFY(m_hash.contains("$m="));
    QVERIFY(!m_hash.contains(m_password.toUtf8()));
    QVERIFY(!m_hash.contains('\0'));
}

void TestPasswordHasher::verifiesTheRightPassword_data()
{
    QTest::addColumn<QString>("password");

    QTest::newRow("ASCII") << u"correct horse battery staple"_s;
    QTest::newRow("non-ASCII") << u"Gr\u00fc\u00dfe aus K\u00f6ln \u2603"_s;
    QTest::newRow("long") << QString(1024, u'x');
}

void TestPasswordHasher::verifiesTheRightPassword()
{
    QFETCH(QString, password);
    const QByteArray hash = PasswordHasher::hash(password);
    QVERIFY(PasswordHasher::verify(hash, password));
}

void TestPasswordHasher::refusesWrongPasswords_data()
{
    QTest::addColumn<QString>("password");

    QTest::newRow("other") << u"incorrect horse battery staple"_s;
    QTest::newRow("other case") << u"Correct horse battery staple"_s;
    QTest::newRow("prefix") << u"correct horse battery stapl"_s;
    QTest::newRow("trailing space") << u"correct horse battery staple "_s;
    QTest::newRow("empty") << QString();
}

void TestPasswordHasher::refusesWrongPasswords()
{
    QFETCH(QString, password);
    QVERIFY(PasswordHasher::verify(m_hash, m_password));
    QVERIFY(!PasswordHasher::verify(m_hash, password));
}

void TestPasswordHasher::eachHashHasItsOwnSalt()
{
    const QByteArray second = PasswordHasher::hash(m_password);
    QVERIFY(second.startsWith("$argon2id$"));
    QVERIFY(second != m_hash);
    QVERIFY(PasswordHasher::verify(second, m_password));
    QVERIFY(PasswordHasher::verify(m_hash, m_password));
}

void TestPasswordHasher::malformedHashIsRefused_data()
{
    QTest::addColumn<QByteArray>("hash");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("not a hash");
    QTest::newRow("truncated") << m_hash.left(m_hash.size() / 2);
    QTest::newRow("other algorithm") << QByteArray(m_hash).replace("$argon2id$", "$argon2i$");
    QTest::newRow("bcrypt") << QByteArray(
        "$2b$12$abcdefghijklmnopqrstuuGq0v0ZzjW4n1kqYp7uYQWz0E4a");
    QTest::newRow("longer than any hash") << m_hash + QByteArray(200, 'A');
    QTest::newRow("salt changed") << [this] {
        QByteArray changed = m_hash;
        // The salt is the segment before the last; changing one character of it breaks the match.
        const qsizetype lastDollar = changed.lastIndexOf('$');
        const qsizetype at = changed.lastIndexOf('$', lastDollar - 1) + 1;
        changed[at] = changed.at(at) == 'A' ? 'B' : 'A';
        return changed;
    }();
}

void TestPasswordHasher::malformedHashIsRefused()
{
    QFETCH(QByteArray, hash);
    QVERIFY(!PasswordHasher::verify(hash, m_password));
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
