#include "secretbox.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSecretBox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sealedTextOpensWithItsKeyOnly();
    void everySealIsFresh();
    void changedOrForeignTextDoesNotOpen();
    void aKeyOfTheWrongSizeIsNoKey();
};

void TestSecretBox::sealedTextOpensWithItsKeyOnly()
{
    const SecretBox box(SecretBox::generateKey());
    QVERIFY(box.isValid());
    const QByteArray secret = "whsec_c2VjcmV0IHNpZ25pbmcga2V5IGJ5dGVzIGhlcmUhIQ==";
    const QString sealed = box.seal(secret);
    QVERIFY(!sealed.contains(QString::fromLatin1(secret)));
    QVERIFY(!QByteArray::fromBase64(sealed.toLatin1()).contains(secret));
    QCOMPARE(box.open(sealed).value_or(QByteArray()), secret);
    const SecretBox copy = box;
    QCOMPARE(copy.open(sealed).value_or(QByteArray()), secret);

    const SecretBox other(SecretBox::generateKey());
    QVERIFY(!other.open(sealed));
}

void TestSecretBox::everySealIsFresh()
{
    const SecretBox box(SecretBox::generateKey());
    // A new nonce each time: the same secret never looks the same twice.
    QVERIFY(box.seal("same") != box.seal("same"));
    QVERIFY(SecretBox::generateKey() != SecretBox::generateKey());
    QCOMPARE(SecretBox::generateKey().size(), SecretBox::kKeyBytes);
}

void TestSecretBox::changedOrForeignTextDoesNotOpen()
{
    const SecretBox box(SecretBox::generateKey());
    const QString sealed = box.seal("the secret");
    QByteArray bytes = QByteArray::fromBase64(sealed.toLatin1());
    bytes[bytes.size() - 1] = char(bytes.at(bytes.size() - 1) ^ 1);
    QVERIFY(!box.open(QString::fromLatin1(bytes.toBase64())));
    QVERIFY(!box.open(u"not base64 at all!"_s));
    QVERIFY(!box.open(u""_s));
    QVERIFY(!box.open(u"c2hvcnQ="_s));
}

void TestSecretBox::aKeyOfTheWrongSizeIsNoKey()
{
    const SecretBox box(QByteArray(31, 'k'));
    QVERIFY(!box.isValid());
    QVERIFY(!box.open(SecretBox(QByteArray(32, 'k')).seal("x")));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, box.seal("x"));
}

QTEST_GUILESS_MAIN(TestSecretBox)
#include "tst_secretbox.moc"
