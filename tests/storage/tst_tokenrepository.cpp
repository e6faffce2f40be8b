#include "storageerror.h"
#include "temporarydatabase.h"
#include "timestamps.h"
#include "tokenrepository.h"
#include "tokensecret.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestTokenRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addFillsInTheStoredToken();
    void liveNameIsTaken();
    void revokedNameMayBeUsedAgain();
    void secretIsUnique();
    void findByDigestFindsOnlyThatToken();
    void findByDigestFindsRevokedTokens();
    void listShowsLiveByNameThenRevokedNewestFirst();
    void revokeTwiceReportsFalse();
    void revokeUnknownReportsFalse();
    void markUsedSetsTheLastUse();

private:
    IntegrationToken token(const QString &name, Scopes scopes = Scope::TicketsRead) const;
    // A fresh digest, as a new secret would have.
    static QByteArray digest() { return TokenSecret::digest(TokenSecret::generate().toLatin1()); }

    std::unique_ptr<TemporaryDatabase> m_temporary;
    const QDateTime m_now = Timestamps::fromMs(1'750'000'000'000);
};

void TestTokenRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestTokenRepository::cleanup()
{
    m_temporary.reset();
}

IntegrationToken TestTokenRepository::token(const QString &name, Scopes scopes) const
{
    IntegrationToken token;
    token.name = name;
    token.scopes = scopes;
    token.createdBy = u"user:admin"_s;
    return token;
}

void TestTokenRepository::addFillsInTheStoredToken()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken crm = token(u"crm"_s, Scope::TicketsWrite | Scope::StatsRead);
    crm.createdAt = m_now;
    crm.expiresAt = m_now.addDays(30);
    const QByteArray secretDigest = digest();
    QVERIFY(tokens.add(crm, secretDigest));
    QVERIFY(crm.id > 0);

    const std::optional<IntegrationToken> found = tokens.findByDigest(secretDigest);
    QVERIFY(found);
    QCOMPARE(found->id, crm.id);
    QCOMPARE(found->name, u"crm"_s);
    QCOMPARE(found->scopes, Scope::TicketsWrite | Scope::StatsRead);
    QCOMPARE(found->createdBy, u"user:admin"_s);
    QCOMPARE(Timestamps::toMs(found->createdAt), Timestamps::toMs(m_now));
    QCOMPARE(Timestamps::toMs(found->expiresAt), Timestamps::toMs(m_now.addDays(30)));
    QVERIFY(!found->lastUsedAt.isValid());
    QVERIFY(!found->revokedAt.isValid());
    QVERIFY(found->isLive(m_now));
    QVERIFY(!found->isLive(m_now.addDays(30)));

    // Without a time it is made now, and without an expiry it never expires.
    IntegrationToken ci = token(u"ci"_s);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(tokens.add(ci, digest()));
    QVERIFY(ci.id != crm.id);
    QVERIFY(Timestamps::toMs(ci.createdAt) >= before);
    QVERIFY(!ci.expiresAt.isValid());
    QVERIFY(ci.isLive(m_now.addYears(100)));
}

void TestTokenRepository::liveNameIsTaken()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken first = token(u"crm"_s);
    QVERIFY(tokens.add(first, digest()));
    IntegrationToken second = token(u"crm"_s, Scope::StatsRead);
    const QByteArray secondDigest = digest();
    QVERIFY(!tokens.add(second, secondDigest));
    QCOMPARE(second.id, 0);
    QVERIFY(!tokens.findByDigest(secondDigest));
    QCOMPARE(tokens.list().size(), 1);
}

void TestTokenRepository::revokedNameMayBeUsedAgain()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken first = token(u"crm"_s);
    const QByteArray firstDigest = digest();
    QVERIFY(tokens.add(first, firstDigest));
    QVERIFY(tokens.revoke(u"crm"_s, m_now));

    IntegrationToken second = token(u"crm"_s, Scope::TicketsWrite);
    const QByteArray secondDigest = digest();
    QVERIFY(tokens.add(second, secondDigest));
    QVERIFY(second.id != first.id);
    // Both stay: the old one revoked, the new one live.
    QVERIFY(tokens.findByDigest(firstDigest)->revokedAt.isValid());
    QVERIFY(!tokens.findByDigest(secondDigest)->revokedAt.isValid());
    QCOMPARE(tokens.list().size(), 2);

    // And again the live one holds the name.
    IntegrationToken third = token(u"crm"_s);
    QVERIFY(!tokens.add(third, digest()));
    // Revoking the name revokes the live one only.
    QVERIFY(tokens.revoke(u"crm"_s, m_now.addSecs(1)));
    QCOMPARE(Timestamps::toMs(tokens.findByDigest(firstDigest)->revokedAt),
             Timestamps::toMs(m_now));
    QCOMPARE(Timestamps::toMs(tokens.findByDigest(secondDigest)->revokedAt),
             Timestamps::toMs(m_now.addSecs(1)));
}

void TestTokenRepository::secretIsUnique()
{
    TokenRepository tokens(m_temporary->database());
    const QByteArray same = digest();
    IntegrationToken first = token(u"first"_s);
    QVERIFY(tokens.add(first, same));
    IntegrationToken second = token(u"second"_s);
    // Never happens with random secrets; if it did, a lookup must not find two tokens.
    QVERIFY_THROWS_EXCEPTION(StorageError, tokens.add(second, same));
    QCOMPARE(tokens.findByDigest(same)->name, u"first"_s);
}

void TestTokenRepository::findByDigestFindsOnlyThatToken()
{
    TokenRepository tokens(m_temporary->database());
    QVERIFY(!tokens.findByDigest(digest()));
    const QByteArray crmDigest = digest();
    const QByteArray ciDigest = digest();
    IntegrationToken crm = token(u"crm"_s);
    IntegrationToken ci = token(u"ci"_s);
    QVERIFY(tokens.add(crm, crmDigest));
    QVERIFY(tokens.add(ci, ciDigest));
    QCOMPARE(tokens.findByDigest(crmDigest)->name, u"crm"_s);
    QCOMPARE(tokens.findByDigest(ciDigest)->name, u"ci"_s);
    QVERIFY(!tokens.findByDigest(digest()));
    // Digests are matched exactly, not by prefix or case.
    QVERIFY(!tokens.findByDigest(crmDigest.left(63)));
    QVERIFY(!tokens.findByDigest(crmDigest.toUpper()));
    QVERIFY(!tokens.findByDigest(QByteArray()));
}

void TestTokenRepository::findByDigestFindsRevokedTokens()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken crm = token(u"crm"_s);
    const QByteArray crmDigest = digest();
    QVERIFY(tokens.add(crm, crmDigest));
    QVERIFY(tokens.revoke(u"crm"_s, m_now));
    const std::optional<IntegrationToken> found = tokens.findByDigest(crmDigest);
    QVERIFY(found);
    QCOMPARE(Timestamps::toMs(found->revokedAt), Timestamps::toMs(m_now));
    QVERIFY(!found->isLive(m_now.addSecs(-1)));
}

void TestTokenRepository::listShowsLiveByNameThenRevokedNewestFirst()
{
    TokenRepository tokens(m_temporary->database());
    QVERIFY(tokens.list().isEmpty());
    for (const QString &name : {u"old-a"_s, u"zeta"_s, u"old-b"_s, u"alpha"_s, u"old-c"_s}) {
        IntegrationToken added = token(name);
        QVERIFY(tokens.add(added, digest()));
    }
    QVERIFY(tokens.revoke(u"old-b"_s, m_now));
    QVERIFY(tokens.revoke(u"old-c"_s, m_now.addSecs(60)));
    QVERIFY(tokens.revoke(u"old-a"_s, m_now.addSecs(-60)));

    QStringList names;
    for (const IntegrationToken &listed : tokens.list())
        names.append(listed.name);
    QCOMPARE(names, (QStringList{u"alpha"_s, u"zeta"_s, u"old-c"_s, u"old-b"_s, u"old-a"_s}));
}

void TestTokenRepository::revokeTwiceReportsFalse()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken crm = token(u"crm"_s);
    const QByteArray crmDigest = digest();
    QVERIFY(tokens.add(crm, crmDigest));
    QVERIFY(tokens.revoke(u"crm"_s, m_now));
    QVERIFY(!tokens.revoke(u"crm"_s, m_now.addSecs(10)));
    // The first revocation's time stands.
    QCOMPARE(Timestamps::toMs(tokens.findByDigest(crmDigest)->revokedAt), Timestamps::toMs(m_now));
}

void TestTokenRepository::revokeUnknownReportsFalse()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken crm = token(u"crm"_s);
    QVERIFY(tokens.add(crm, digest()));
    QVERIFY(!tokens.revoke(u"cr"_s, m_now));
    QVERIFY(!tokens.revoke(u"CRM"_s, m_now));
    QVERIFY(!tokens.list().constFirst().revokedAt.isValid());
}

void TestTokenRepository::markUsedSetsTheLastUse()
{
    TokenRepository tokens(m_temporary->database());
    IntegrationToken crm = token(u"crm"_s);
    IntegrationToken ci = token(u"ci"_s);
    const QByteArray crmDigest = digest();
    const QByteArray ciDigest = digest();
    QVERIFY(tokens.add(crm, crmDigest));
    QVERIFY(tokens.add(ci, ciDigest));
    tokens.markUsed(crm.id, m_now);
    QCOMPARE(Timestamps::toMs(tokens.findByDigest(crmDigest)->lastUsedAt), Timestamps::toMs(m_now));
    QVERIFY(!tokens.findByDigest(ciDigest)->lastUsedAt.isValid());
    tokens.markUsed(crm.id, m_now.addSecs(90));
    QCOMPARE(Timestamps::toMs(tokens.findByDigest(crmDigest)->lastUsedAt),
             Timestamps::toMs(m_now.addSecs(90)));
    // An unknown id changes nothing and is no error.
    tokens.markUsed(ci.id + crm.id + 100, m_now);
    QVERIFY(!tokens.findByDigest(ciDigest)->lastUsedAt.isValid());
}

QTEST_GUILESS_MAIN(TestTokenRepository)
#include "tst_tokenrepository.moc"
