#include "database.h"
#include "integrationtokens.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "timestamps.h"
#include "tokenrepository.h"
#include "tokensecret.h"
#include "tokenverifier.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;

using Refusal = TokenVerifier::Refusal;

class TestTokenVerifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void goodTokenIsGranted();
    void malformedSecretsAreRefusedUnread_data();
    void malformedSecretsAreRefusedUnread();
    void unknownSecretIsRefused();
    void expiredTokenIsRefused();
    void tokenExpiringWhileTrustedIsRefused();
    void revokeOnAnotherNodeIsNoticedWithinTheRecheck();
    void revokeOnAnotherNodeIsNoticedWithinASecond();
    void clockGoingBackDoesNotExtendTrust();
    void lastUseIsWrittenAtMostOncePerMinute();
    void forgetAllLooksUpAgain();

private:
    std::variant<TokenVerifier::Grant, Refusal> verify(TokenVerifier &verifier,
                                                       const QString &secret)
    {
        return verifier.verify(secret.toLatin1());
    }
    static bool granted(const std::variant<TokenVerifier::Grant, Refusal> &verified)
    {
        return std::holds_alternative<TokenVerifier::Grant>(verified);
    }
    static std::optional<Refusal> refusal(const std::variant<TokenVerifier::Grant, Refusal> &v)
    {
        if (const auto *refused = std::get_if<Refusal>(&v))
            return *refused;
        return std::nullopt;
    }
    QString createToken(const QString &name, std::optional<int> expiresInDays = std::nullopt);
    QDateTime lastUsedAt(const QString &secret);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    // A second node: its own Database object, so its own connections, on the same database.
    std::unique_ptr<Database> m_otherNode;
    QDateTime m_now;
    TokenVerifier::Clock m_clock;
};

void TestTokenVerifier::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_otherNode = std::make_unique<Database>(m_temporary->database().config());
    m_now = QDateTime::currentDateTimeUtc();
    m_clock = [this] {
        return m_now;
    };
}

void TestTokenVerifier::cleanup()
{
    m_otherNode->closeThreadConnection();
    m_otherNode.reset();
    m_temporary.reset();
}

QString TestTokenVerifier::createToken(const QString &name, std::optional<int> expiresInDays)
{
    IntegrationTokens tokens(m_temporary->database());
    auto created = tokens.create(name, Scope::TicketsRead | Scope::StatsRead, expiresInDays,
                                 Actor::system(u"tests"_s));
    if (const auto *problem = std::get_if<QString>(&created))
        qFatal("Could not create a token: %s", qPrintable(*problem));
    return std::get<IntegrationTokens::Created>(created).secret;
}

QDateTime TestTokenVerifier::lastUsedAt(const QString &secret)
{
    TokenRepository tokens(m_temporary->database());
    return tokens.findByDigest(TokenSecret::digest(secret.toLatin1()))->lastUsedAt;
}

void TestTokenVerifier::goodTokenIsGranted()
{
    const QString secret = createToken(u"crm"_s);
    TokenVerifier verifier(m_temporary->database(), m_clock);
    const auto verified = verify(verifier, secret);
    QVERIFY(granted(verified));
    const auto &grant = std::get<TokenVerifier::Grant>(verified);
    QCOMPARE(grant.name, u"crm"_s);
    QCOMPARE(grant.scopes, Scope::TicketsRead | Scope::StatsRead);
    QVERIFY(grant.tokenId > 0);
    // From memory, the same answer.
    const auto again = verify(verifier, secret);
    QCOMPARE(std::get<TokenVerifier::Grant>(again).tokenId, grant.tokenId);
}

void TestTokenVerifier::malformedSecretsAreRefusedUnread_data()
{
    QTest::addColumn<QByteArray>("secret");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("hunter2");
    QTest::newRow("prefix only") << QByteArray("sct_");
    QTest::newRow("one short") << "sct_" + QByteArray(42, 'a');
    QTest::newRow("other prefix") << "xyz_" + QByteArray(43, 'a');
    QTest::newRow("SQL") << QByteArray("sct_' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}

void TestTokenVerifier::malformedSecretsAreRefusedUnread()
{
    QFETCH(QByteArray, secret);
    // A database that cannot even be opened: any lookup would throw.
    const Database unreachable(
        DatabaseConfig::sqlite(m_temporary->folder() + u"/missing/folder/tickets.db"_s));
    TokenVerifier verifier(unreachable, m_clock);
    QVERIFY_THROWS_EXCEPTION(StorageError, verifier.verify(TokenSecret::generate().toLatin1()));
    QCOMPARE(refusal(verifier.verify(secret)), Refusal::Malformed);
}

void TestTokenVerifier::unknownSecretIsRefused()
{
    createToken(u"crm"_s);
    TokenVerifier verifier(m_temporary->database(), m_clock);
    const QString unknown = TokenSecret::generate();
    QCOMPARE(refusal(verify(verifier, unknown)), Refusal::Unknown);
    // Asked again later, still unknown: refusals are not trusted as grants.
    m_now = m_now.addSecs(1);
    QCOMPARE(refusal(verify(verifier, unknown)), Refusal::Unknown);
}

void TestTokenVerifier::expiredTokenIsRefused()
{
    const QString secret = createToken(u"crm"_s, 1);
    TokenVerifier verifier(m_temporary->database(), m_clock);
    QVERIFY(granted(verify(verifier, secret)));
    m_now = m_now.addDays(2);
    QCOMPARE(refusal(verify(verifier, secret)), Refusal::Expired);
    // A verifier that never saw it refuses it too.
    TokenVerifier fresh(*m_otherNode, m_clock);
    QCOMPARE(refusal(verify(fresh, secret)), Refusal::Expired);
}

void TestTokenVerifier::tokenExpiringWhileTrustedIsRefused()
{
    // Expires 100 ms after the verifier first trusts it, well inside kRecheckMs.
    TokenRepository tokens(m_temporary->database());
    const QString secret = TokenSecret::generate();
    IntegrationToken token;
    token.name = u"short-lived"_s;
    token.scopes = Scope::TicketsRead;
    token.createdBy = u"system:tests"_s;
    token.createdAt = m_now.addDays(-1);
    token.expiresAt = m_now.addMSecs(100);
    QVERIFY(tokens.add(token, TokenSecret::digest(secret.toLatin1())));

    TokenVerifier verifier(m_temporary->database(), m_clock);
    QVERIFY(granted(verify(verifier, secret)));
    m_now = m_now.addMSecs(99);
    QVERIFY(granted(verify(verifier, secret)));
    m_now = m_now.addMSecs(1);
    QCOMPARE(refusal(verify(verifier, secret)), Refusal::Expired);
}

void TestTokenVerifier::revokeOnAnotherNodeIsNoticedWithinTheRecheck()
{
    const QString secret = createToken(u"crm"_s);
    // Node B checks tokens; node A revokes through its own verifier and connection.
    TokenVerifier nodeB(*m_otherNode, m_clock);
    TokenVerifier nodeA(m_temporary->database(), m_clock);
    IntegrationTokens adminOnA(m_temporary->database(), &nodeA);
    QVERIFY(granted(verify(nodeB, secret)));

    QVERIFY(adminOnA.revoke(u"crm"_s, Actor::user(u"admin"_s)));
    // Node B may still trust its memory, but only for less than kRecheckMs.
    m_now = m_now.addMSecs(TokenVerifier::kRecheckMs - 1);
    QVERIFY(granted(verify(nodeB, secret)));
    m_now = m_now.addMSecs(1);
    QCOMPARE(refusal(verify(nodeB, secret)), Refusal::Revoked);
    // And it stays refused.
    m_now = m_now.addMSecs(1);
    QCOMPARE(refusal(verify(nodeB, secret)), Refusal::Revoked);
    QCOMPARE(refusal(verify(nodeA, secret)), Refusal::Revoked);
}

void TestTokenVerifier::revokeOnAnotherNodeIsNoticedWithinASecond()
{
    const QString secret = createToken(u"crm"_s);
    // Real clocks this time.
    TokenVerifier nodeB(*m_otherNode);
    TokenVerifier nodeA(m_temporary->database());
    IntegrationTokens adminOnA(m_temporary->database(), &nodeA);
    QVERIFY(granted(verify(nodeB, secret)));
    QVERIFY(granted(verify(nodeA, secret)));

    QElapsedTimer sinceRevoke;
    QVERIFY(adminOnA.revoke(u"crm"_s, Actor::user(u"admin"_s)));
    sinceRevoke.start();
    QCOMPARE(refusal(verify(nodeA, secret)), Refusal::Revoked);
    QTRY_VERIFY_WITH_TIMEOUT(refusal(verify(nodeB, secret)) == Refusal::Revoked, 1000);
    QVERIFY2(sinceRevoke.elapsed() <= 1000, qPrintable(QString::number(sinceRevoke.elapsed())));
}

void TestTokenVerifier::clockGoingBackDoesNotExtendTrust()
{
    const QString secret = createToken(u"crm"_s);
    TokenVerifier nodeB(*m_otherNode, m_clock);
    QVERIFY(granted(verify(nodeB, secret)));
    TokenRepository(m_temporary->database()).revoke(u"crm"_s, m_now);
    // A clock set back (NTP, a VM resumed) must not make an old check look fresh.
    m_now = m_now.addSecs(-60);
    QCOMPARE(refusal(verify(nodeB, secret)), Refusal::Revoked);
}

void TestTokenVerifier::lastUseIsWrittenAtMostOncePerMinute()
{
    const QString secret = createToken(u"crm"_s);
    QVERIFY(!lastUsedAt(secret).isValid());
    TokenVerifier verifier(m_temporary->database(), m_clock);
    const QDateTime first = m_now;
    QVERIFY(granted(verify(verifier, secret)));
    QCOMPARE(Timestamps::toMs(lastUsedAt(secret)), Timestamps::toMs(first));

    // Looked up again every recheck, but the last use stays until a minute has passed.
    for (qint64 ms = TokenVerifier::kRecheckMs; ms < TokenVerifier::kLastUseResolutionMs;
         ms += 7 * TokenVerifier::kRecheckMs) {
        m_now = first.addMSecs(ms);
        QVERIFY(granted(verify(verifier, secret)));
        QCOMPARE(Timestamps::toMs(lastUsedAt(secret)), Timestamps::toMs(first));
    }
    m_now = first.addMSecs(TokenVerifier::kLastUseResolutionMs - 1);
    QVERIFY(granted(verify(verifier, secret)));
    QCOMPARE(Timestamps::toMs(lastUsedAt(secret)), Timestamps::toMs(first));

    // The next lookup, a recheck later, is a minute after the write.
    m_now = m_now.addMSecs(TokenVerifier::kRecheckMs);
    QVERIFY(granted(verify(verifier, secret)));
    QCOMPARE(Timestamps::toMs(lastUsedAt(secret)), Timestamps::toMs(m_now));

    // Another node sees the use written by this one, and does not write it again.
    const QDateTime written = m_now;
    TokenVerifier other(*m_otherNode, m_clock);
    m_now = written.addSecs(30);
    QVERIFY(granted(verify(other, secret)));
    QCOMPARE(Timestamps::toMs(lastUsedAt(secret)), Timestamps::toMs(written));
}

void TestTokenVerifier::forgetAllLooksUpAgain()
{
    const QString secret = createToken(u"crm"_s);
    const QString other = createToken(u"ci"_s);
    TokenVerifier verifier(m_temporary->database(), m_clock);
    QVERIFY(granted(verify(verifier, secret)));
    QVERIFY(granted(verify(verifier, other)));
    // Revoked behind the verifier's back: its memory still trusts the token...
    QVERIFY(TokenRepository(*m_otherNode).revoke(u"crm"_s, m_now));
    QVERIFY(granted(verify(verifier, secret)));
    // ...until it forgets, without any time passing.
    verifier.forgetAll();
    QCOMPARE(refusal(verify(verifier, secret)), Refusal::Revoked);
    QVERIFY(granted(verify(verifier, other)));
}

QTEST_GUILESS_MAIN(TestTokenVerifier)
#include "tst_tokenverifier.moc"
