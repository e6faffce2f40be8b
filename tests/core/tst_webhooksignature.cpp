#include "webhooksignature.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

class TestWebhookSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsAsTheStandardWebhooksSpecification();
    void signatureCoversIdTimestampAndBody();
    void secretsAreRandomAndCarryTheirKey();
    void textThatIsNoSecretHasNoKey();
};

// The example of the Standard Webhooks specification (and of its reference libraries), so
// that receivers can verify deliveries with any of them.
void TestWebhookSignature::signsAsTheStandardWebhooksSpecification()
{
    const std::optional<QByteArray> key =
        WebhookSignature::keyOf(u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s);
    QVERIFY(key);
    QCOMPARE(WebhookSignature::sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                    R"({"test": 2432232314})"),
             QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
}

void TestWebhookSignature::signatureCoversIdTimestampAndBody()
{
    const QByteArray key = *WebhookSignature::keyOf(WebhookSignature::generateSecret());
    const QByteArray signature = WebhookSignature::sign(key, "42", 1700000000, "{}");
    QVERIFY(signature.startsWith("v1,"));
    QVERIFY(WebhookSignature::sign(key, "43", 1700000000, "{}") != signature);
    QVERIFY(WebhookSignature::sign(key, "42", 1700000001, "{}") != signature);
    QVERIFY(WebhookSignature::sign(key, "42", 1700000000, "{ }") != signature);
    QCOMPARE(WebhookSignature::sign(key, "42", 1700000000, "{}"), signature);
}

void TestWebhookSignature::secretsAreRandomAndCarryTheirKey()
{
    QSet<QString> seen;
    for (int i = 0; i < 20; ++i) {
        const QString secret = WebhookSignature::generateSecret();
        QVERIFY(secret.startsWith(u"whsec_"_s));
        QCOMPARE(secret.size(), 6 + 44);
        const std::optional<QByteArray> key = WebhookSignature::keyOf(secret);
        QVERIFY(key);
        QCOMPARE(key->size(), 32);
        seen.insert(secret);
    }
    QCOMPARE(seen.size(), 20);
}

void TestWebhookSignature::textThatIsNoSecretHasNoKey()
{
    QVERIFY(!WebhookSignature::keyOf(u""_s));
    QVERIFY(!WebhookSignature::keyOf(u"whsec_"_s));
    QVERIFY(!WebhookSignature::keyOf(u"sct_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s));
    QVERIFY(!WebhookSignature::keyOf(u"whsec_not*base64"_s));
}

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhooksignature.moc"
