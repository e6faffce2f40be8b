#include "integrationtokens.h"
#include "temporarydatabase.h"
#include "timestamps.h"
#include "tokensecret.h"
#include "tokenverifier.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestIntegrationTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createdSecretVerifies();
    void onlyTheDigestIsStored();
    void createRefuses_data();
    void createRefuses();
    void duplicateLiveNameIsRefused();
    void expiry_data();
    void expiry();
    void revokeRefusesTheTokenOnThisNodeAtOnce();
    void revokeTwiceOrUnknownReportsFalse();
    void revokedNameMayBeCreatedAgain();

private:
    // A created token's secret, failing the test when it could not be made.
    IntegrationTokens::Created create(const QString &name, Scopes scopes,
                                      std::optional<int> expiresInDays = std::nullopt);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TokenVerifier> m_verifier;
    std::unique_ptr<IntegrationTokens> m_tokens;
    const Actor m_admin = Actor::user(u"admin"_s);
};

void TestIntegrationTokens::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_verifier = std::make_unique<TokenVerifier>(m_temporary->database());
    m_tokens = std::make_unique<IntegrationTokens>(m_temporary->database(), m_verifier.get());
}

void TestIntegrationTokens::cleanup()
{
    m_tokens.reset();
    m_verifier.reset();
    m_temporary.reset();
}

IntegrationTokens::Created TestIntegrationTokens::create(const QString &name, Scopes scopes,
                                                         std::optional<int> expiresInDays)
{
    auto created = m_tokens->create(name, scopes, expiresInDays, m_admin);
    if (const auto *problem = std::get_if<QString>(&created))
        qFatal("Could not create token %s: %s", qPrintable(name), qPrintable(*problem));
    return std::get<IntegrationTokens::Created>(std::move(created));
}

void TestIntegrationTokens::createdSecretVerifies()
{
    const IntegrationTokens::Created created =
        create(u"crm"_s, Scope::TicketsRead | Scope::TicketsWrite);
    QVERIFY(TokenSecret::hasSecretShape(created.secret.toLatin1()));
    QVERIFY(created.token.id > 0);
    QCOMPARE(created.token.name, u"crm"_s);
    QCOMPARE(created.token.scopes, Scope::TicketsRead | Scope::TicketsWrite);
    QCOMPARE(created.token.createdBy, u"user:admin"_s);
    QVERIFY(!created.token.expiresAt.isValid());

    const auto verified = m_verifier->verify(created.secret.toLatin1());
    const auto *grant = std::get_if<TokenVerifier::Grant>(&verified);
    QVERIFY(grant);
    QCOMPARE(grant->tokenId, created.token.id);
    QCOMPARE(grant->name, u"crm"_s);
    QCOMPARE(grant->scopes, Scope::TicketsRead | Scope::TicketsWrite);

    // Another token's secret is another token.
    const IntegrationTokens::Created other = create(u"ci"_s, Scope::StatsRead);
    QVERIFY(other.secret != created.secret);
    const auto otherVerified = m_verifier->verify(other.secret.toLatin1());
    QCOMPARE(std::get<TokenVerifier::Grant>(otherVerified).name, u"ci"_s);
    QCOMPARE(std::get<TokenVerifier::Grant>(otherVerified).scopes, Scopes(Scope::StatsRead));

    const QList<IntegrationToken> listed = m_tokens->list();
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).name, u"ci"_s);
    QCOMPARE(listed.at(1).name, u"crm"_s);
}

void TestIntegrationTokens::onlyTheDigestIsStored()
{
    const IntegrationTokens::Created created = create(u"crm"_s, Scope::TicketsRead);
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY(query.exec(u"SELECT secret_hash FROM api_tokens"_s));
    QVERIFY(query.next());
    const QString stored = query.value(0).toString();
    QCOMPARE(stored.toLatin1(), TokenSecret::digest(created.secret.toLatin1()));
    QVERIFY(!stored.contains(created.secret.mid(4)));
}

void TestIntegrationTokens::createRefuses_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Scopes>("scopes");
    QTest::addColumn<std::optional<int>>("expiresInDays");
    QTest::addColumn<QString>("problem");

    const Scopes read = Scope::TicketsRead;
    const std::optional<int> never;
    QTest::newRow("empty name") << QString() << read << never << u"empty"_s;
    // "name:key" is how idempotency keys are owned; a colon would let one token claim another's.
    QTest::newRow("colon in the name") << u"crm:prod"_s << read << never << u"only"_s;
    QTest::newRow("long name") << QString(65, u'x') << read << never << u"longer"_s;
    QTest::newRow("no scope") << u"crm"_s << Scopes() << never << u"scope"_s;
    QTest::newRow("zero days") << u"crm"_s << read << std::optional(0) << u"3650"_s;
    QTest::newRow("negative days") << u"crm"_s << read << std::optional(-1) << u"3650"_s;
    QTest::newRow("over ten years")
        << u"crm"_s << read << std::optional(IntegrationTokens::kMaxExpiryDays + 1) << u"3650"_s;
}

void TestIntegrationTokens::createRefuses()
{
    QFETCH(QString, name);
    QFETCH(Scopes, scopes);
    QFETCH(std::optional<int>, expiresInDays);
    QFETCH(QString, problem);
    const auto created = m_tokens->create(name, scopes, expiresInDays, m_admin);
    const auto *refused = std::get_if<QString>(&created);
    QVERIFY(refused);
    QVERIFY2(refused->contains(problem), qPrintable(*refused));
    QVERIFY(m_tokens->list().isEmpty());
}

void TestIntegrationTokens::duplicateLiveNameIsRefused()
{
    const IntegrationTokens::Created first = create(u"crm"_s, Scope::TicketsRead);
    const auto second = m_tokens->create(u"crm"_s, Scope::StatsRead, std::nullopt, m_admin);
    const auto *refused = std::get_if<QString>(&second);
    QVERIFY(refused);
    QVERIFY2(refused->contains(u"crm"_s) && refused->contains(u"revoke"_s), qPrintable(*refused));
    QCOMPARE(m_tokens->list().size(), 1);
    QCOMPARE(std::get<TokenVerifier::Grant>(m_verifier->verify(first.secret.toLatin1())).scopes,
             Scopes(Scope::TicketsRead));
}

void TestIntegrationTokens::expiry_data()
{
    QTest::addColumn<int>("days");

    QTest::newRow("one day") << 1;
    QTest::newRow("ninety days") << 90;
    QTest::newRow("the most") << IntegrationTokens::kMaxExpiryDays;
}

void TestIntegrationTokens::expiry()
{
    QFETCH(int, days);
    const IntegrationTokens::Created created = create(u"crm"_s, Scope::TicketsRead, days);
    QVERIFY(created.token.expiresAt.isValid());
    QCOMPARE(Timestamps::toMs(created.token.expiresAt),
             Timestamps::toMs(created.token.createdAt.addDays(days)));
    const IntegrationToken listed = m_tokens->list().constFirst();
    QCOMPARE(Timestamps::toMs(listed.expiresAt), Timestamps::toMs(created.token.expiresAt));

    // Good until then, and not a millisecond after, as a verifier with a clock there sees it.
    QDateTime now = created.token.expiresAt.addMSecs(-1);
    TokenVerifier verifier(m_temporary->database(), [&now] { return now; });
    QVERIFY(
        std::holds_alternative<TokenVerifier::Grant>(verifier.verify(created.secret.toLatin1())));
    now = created.token.expiresAt.addSecs(1);
    const auto late = verifier.verify(created.secret.toLatin1());
    QVERIFY(std::holds_alternative<TokenVerifier::Refusal>(late));
    QCOMPARE(std::get<TokenVerifier::Refusal>(late), TokenVerifier::Refusal::Expired);
}

void TestIntegrationTokens::revokeRefusesTheTokenOnThisNodeAtOnce()
{
    const IntegrationTokens::Created created = create(u"crm"_s, Scope::TicketsRead);
    const IntegrationTokens::Created kept = create(u"ci"_s, Scope::TicketsRead);
    // Both trusted from memory now.
    QVERIFY(std::holds_alternative<TokenVerifier::Grant>(
        m_verifier->verify(created.secret.toLatin1())));
    QVERIFY(
        std::holds_alternative<TokenVerifier::Grant>(m_verifier->verify(kept.secret.toLatin1())));

    QVERIFY(m_tokens->revoke(u"crm"_s, m_admin));
    // No waiting for the recheck: this node's verifier forgot what it knew.
    const auto verified = m_verifier->verify(created.secret.toLatin1());
    QVERIFY(std::holds_alternative<TokenVerifier::Refusal>(verified));
    QCOMPARE(std::get<TokenVerifier::Refusal>(verified), TokenVerifier::Refusal::Revoked);
    QVERIFY(
        std::holds_alternative<TokenVerifier::Grant>(m_verifier->verify(kept.secret.toLatin1())));

    const QList<IntegrationToken> listed = m_tokens->list();
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).name, u"ci"_s);
    QCOMPARE(listed.at(1).name, u"crm"_s);
    QVERIFY(listed.at(1).revokedAt.isValid());
    QVERIFY(!listed.at(0).revokedAt.isValid());
}

void TestIntegrationTokens::revokeTwiceOrUnknownReportsFalse()
{
    create(u"crm"_s, Scope::TicketsRead);
    QVERIFY(!m_tokens->revoke(u"nobody"_s, m_admin));
    QVERIFY(m_tokens->revoke(u"crm"_s, m_admin));
    QVERIFY(!m_tokens->revoke(u"crm"_s, m_admin));
}

void TestIntegrationTokens::revokedNameMayBeCreatedAgain()
{
    const IntegrationTokens::Created first = create(u"crm"_s, Scope::TicketsRead);
    QVERIFY(m_tokens->revoke(u"crm"_s, m_admin));
    const IntegrationTokens::Created second = create(u"crm"_s, Scope::TicketsWrite);
    QVERIFY(second.token.id != first.token.id);
    QCOMPARE(std::get<TokenVerifier::Refusal>(m_verifier->verify(first.secret.toLatin1())),
             TokenVerifier::Refusal::Revoked);
    QCOMPARE(std::get<TokenVerifier::Grant>(m_verifier->verify(second.secret.toLatin1())).scopes,
             Scopes(Scope::TicketsWrite));
}

QTEST_GUILESS_MAIN(TestIntegrationTokens)
#include "tst_integrationtokens.moc"
