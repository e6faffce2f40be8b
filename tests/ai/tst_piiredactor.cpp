#include "piiredactor.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestPiiRedactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redact_data();
    void redact();
    void idempotent_data();
    void idempotent();
    void pathologicalInput_data();
    void pathologicalInput();
};

void TestPiiRedactor::redact_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const QString &text, const QString &expected) {
        QTest::newRow(name) << text << expected;
    };

    row("empty", QString(), QString());
    row("no pii", u"My laptop does not boot."_s, u"My laptop does not boot."_s);

    // E-mail addresses.
    row("email plain", u"Write to jane.doe@example.com please"_s, u"Write to <email> please"_s);
    row("email plus and subdomain", u"from j.doe+support@mail.example.co.uk."_s,
        u"from <email>."_s);
    row("email with digits", u"user123@host-1.example.org: hi"_s, u"<email>: hi"_s);
    row("email in brackets", u"(max.mustermann@firma.de)"_s, u"(<email>)"_s);
    row("email unicode local part", u"Grüße von jürgen.müller@beispiel.de!"_s,
        u"Grüße von <email>!"_s);

    // Payment cards (all pass the Luhn check).
    row("card visa spaced", u"Card 4111 1111 1111 1111 was charged"_s,
        u"Card <card_num> was charged"_s);
    row("card visa compact", u"card: 4012888888881881."_s, u"card: <card_num>."_s);
    row("card mastercard dashed", u"5500-0000-0000-0004"_s, u"<card_num>"_s);
    row("card amex 4-6-5", u"Amex 3782 822463 10005 declined"_s, u"Amex <card_num> declined"_s);
    row("card discover dashed", u"use 6011-1111-1111-1117, thanks"_s, u"use <card_num>, thanks"_s);
    row("card after colon", u"card:4111111111111111"_s, u"card:<card_num>"_s);
    row("card 13 digits", u"old visa 4222222222222"_s, u"old visa <card_num>"_s);
    // 8+ digits that are not a valid card are still identifying: an account number.
    row("luhn failing compact is account", u"number 1234567812345678 failed"_s,
        u"number <acc_num> failed"_s);
    row("luhn failing grouped is account", u"card 4111 1111 1111 1112?"_s, u"card <acc_num>?"_s);

    // Account numbers.
    row("iban spaced", u"IBAN: DE89 3704 0044 0532 0130 00 (Sparkasse)"_s,
        u"IBAN: <acc_num> (Sparkasse)"_s);
    row("iban compact", u"pay to GB29NWBK60161331926819 today"_s, u"pay to <acc_num> today"_s);
    row("iban with letters inside", u"FR14 2004 1010 0505 0001 3M02 606"_s, u"<acc_num>"_s);
    row("iban followed by capitals", u"NL91 ABNA 0417 1643 00 THANKS"_s, u"<acc_num> THANKS"_s);
    row("account labelled", u"my account 12345678 is locked"_s,
        u"my account <acc_num> is locked"_s);
    row("acct no labelled", u"acct no. 987654321"_s, u"acct no. <acc_num>"_s);
    row("account number short labelled", u"Account number: 123456"_s,
        u"Account number: <acc_num>"_s);
    row("konto labelled", u"Kontonummer 0532013000 bitte prüfen"_s,
        u"Kontonummer <acc_num> bitte prüfen"_s);
    row("long digit run", u"customer id 98765432101"_s, u"customer id <acc_num>"_s);
    row("eight digits", u"reference 12345678."_s, u"reference <acc_num>."_s);
    row("grouped account", u"Ref 1234 5678 9012"_s, u"Ref <acc_num>"_s);

    row("account after colon", u"ID:12345678 at 10:30:45"_s, u"ID:<acc_num> at 10:30:45"_s);
    row("long dashed key", u"key 1234-5678-9012-3456-7890-1234-5678"_s, u"key <acc_num>"_s);
    // The label wins over the phone shape: the customer said what the number is.
    row("labelled account shaped like phone", u"account 555-123-4567"_s, u"account <acc_num>"_s);

    // Phone numbers.
    row("phone de international", u"Call +49 30 1234567 now"_s, u"Call <tel_num> now"_s);
    row("phone us international", u"Call +1 (555) 123-4567."_s, u"Call <tel_num>."_s);
    row("phone us parentheses", u"Tel (555) 123-4567"_s, u"Tel <tel_num>"_s);
    row("phone us dashes", u"555-123-4567 is my cell"_s, u"<tel_num> is my cell"_s);
    row("phone us dots", u"at 555.123.4567, evenings"_s, u"at <tel_num>, evenings"_s);
    row("phone 00 prefix", u"ring 0044 20 7946 0958"_s, u"ring <tel_num>"_s);
    row("phone compact international", u"+4930123456"_s, u"<tel_num>"_s);
    row("phone uk international", u"+44 20 7946 0958 (office)"_s, u"<tel_num> (office)"_s);
    row("phone national de", u"Telefon: 030 1234567"_s, u"Telefon: <tel_num>"_s);
    row("phone national dashed", u"mobil 0171-1234567"_s, u"mobil <tel_num>"_s);
    row("phone national area in parentheses", u"(030) 123 45 67"_s, u"<tel_num>"_s);
    row("phone international with trunk zero", u"+49 (0)30 1234567"_s, u"<tel_num>"_s);

    // Must not be redacted.
    const QStringList kept{
        u"The outage started 2024-05-01 at 10:30."_s,
        u"Since 01/05/2024 and 1.5.2024 and 01.05.2024 it fails."_s,
        u"It costs $1,299.99 or 49.99 EUR, i.e. 1.299,99 €."_s,
        u"Updated to v2.3.1 on Windows 10.0.19045."_s,
        u"About order 7781 and ticket #4411, ref 0012345."_s,
        u"Error E1234 and 0x80070005 and E12345678 appear."_s,
        u"Server 192.168.1.10 and 10.0.0.138 are unreachable."_s,
        u"Renewal in 2024, compare 2023-2024 and 2023 2024."_s,
        u"Models: ThinkPad X1, Galaxy S23, RTX 4090, iPhone 15."_s,
        u"Ordered 3 x 250 ml, 1,000 units and 100 000 sheets."_s,
        u"Timestamp 2024-05-01T10:30:00Z, build 20.04.6."_s,
        u"Account 4411 was renamed."_s,
    };
    for (qsizetype i = 0; i < kept.size(); ++i)
        QTest::addRow("kept %d", int(i)) << kept.at(i) << kept.at(i);

    // Placeholders the dataset already contains.
    row("placeholders kept",
        u"Contact <email> or <tel_num>; card <card_num>, account <acc_num>, <name>."_s,
        u"Contact <email> or <tel_num>; card <card_num>, account <acc_num>, <name>."_s);
    row("placeholders next to new items", u"<email> and a@b.io, <tel_num> and +1 555 123 4567"_s,
        u"<email> and <email>, <tel_num> and <tel_num>"_s);

    // Mixed and Unicode.
    row("mixed sentence",
        u"Hi, I'm bob@example.net (+1 555-123-4567). Card 4111111111111111 was charged $49.99 "
        u"twice on 2024-05-01 for order 7781; refund to DE89370400440532013000 please."_s,
        u"Hi, I'm <email> (<tel_num>). Card <card_num> was charged $49.99 "
        u"twice on 2024-05-01 for order 7781; refund to <acc_num> please."_s);
    row("mixed german",
        u"Sehr geehrte Damen und Herren, bitte rufen Sie mich unter 030 1234567 an oder "
        u"schreiben Sie an anna@beispiel.de. Konto: DE89 3704 0044 0532 0130 00."_s,
        u"Sehr geehrte Damen und Herren, bitte rufen Sie mich unter <tel_num> an oder "
        u"schreiben Sie an <email>. Konto: <acc_num>."_s);
    row("unicode around items", u"电话：+86 10 1234 5678，邮箱 李@例子.中国 😊"_s,
        u"电话：<tel_num>，邮箱 <email> 😊"_s);
    row("emoji adjacent", u"📞+44 20 7946 0958📞 💳5500 0000 0000 0004💳"_s,
        u"📞<tel_num>📞 💳<card_num>💳"_s);
    // A number right after a phone number cannot be told apart from one more digit group; while
    // the total stays within 15 digits it is redacted with it, which errs on the safe side.
    row("phone absorbs adjacent group", u"call +49 30 1234567 2024 edition"_s,
        u"call <tel_num> edition"_s);
    row("phone trimmed to 15 digits", u"call +49 30 1234567 20240501"_s,
        u"call <tel_num> <acc_num>"_s);
}

void TestPiiRedactor::redact()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    QCOMPARE(PiiRedactor::redact(text), expected);
}

void TestPiiRedactor::idempotent_data()
{
    redact_data();
}

void TestPiiRedactor::pathologicalInput_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("plus and digit groups") << (u"+1"_s + u" 12"_s.repeated(20000) + u"x"_s);
    QTest::newRow("long digit run") << (u"+"_s + u"9"_s.repeated(50000) + u"x"_s);
    QTest::newRow("dashed groups") << u"1234-"_s.repeated(20000);
    QTest::newRow("iban-like") << (u"DE89"_s + u" ABCD"_s.repeated(20000));
    QTest::newRow("email-like") << (u"a."_s.repeated(20000) + u"@b"_s.repeated(20000));
}

// Guards against catastrophic backtracking: each input must finish (well within the CTest
// timeout) rather than hang the classifier.
void TestPiiRedactor::pathologicalInput()
{
    QFETCH(QString, text);

    const QString redacted = PiiRedactor::redact(text);
    QCOMPARE(PiiRedactor::redact(redacted), redacted);
}

void TestPiiRedactor::idempotent()
{
    QFETCH(QString, text);

    const QString once = PiiRedactor::redact(text);
    QCOMPARE(PiiRedactor::redact(once), once);
}

QTEST_GUILESS_MAIN(TestPiiRedactor)
#include "tst_piiredactor.moc"
