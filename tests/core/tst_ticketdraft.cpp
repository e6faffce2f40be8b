#include "ticketdraft.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kEmoji = u"😀"_s; // one code point, two UTF-16 units

QStringList errorFields(const FieldErrors &errors)
{
    QStringList fields;
    for (const FieldError &error : errors)
        fields.append(error.field);
    return fields;
}

} // namespace

class TestTicketDraft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void factories();
    void validate_data();
    void validate();
    void errorMessagesNameTheLimit();
    void characterCount_data();
    void characterCount();
};

void TestTicketDraft::factories()
{
    const TicketDraft text = TicketDraft::fromText(u"My screen is black"_s, TicketSource::Gui);
    QCOMPARE(text.form, TicketForm::Text);
    QCOMPARE(text.source, TicketSource::Gui);
    QCOMPARE(text.body, u"My screen is black"_s);
    QVERIFY(text.subject.isEmpty());
    QVERIFY(!text.dataset);
    QVERIFY(!text.createdAt);

    const TicketDraft pair =
        TicketDraft::fromSubjectAndBody(u"Refund"_s, u"Where is my money?"_s, TicketSource::Api);
    QCOMPARE(pair.form, TicketForm::SubjectBody);
    QCOMPARE(pair.source, TicketSource::Api);
    QCOMPARE(pair.subject, u"Refund"_s);
    QCOMPARE(pair.body, u"Where is my money?"_s);
}

void TestTicketDraft::validate_data()
{
    QTest::addColumn<bool>("subjectBodyForm");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expectedFields");

    const QStringList none;
    const QStringList text{u"text"_s};
    const QStringList subject{u"subject"_s};
    const QStringList body{u"body"_s};
    const int maxSubject = TicketDraft::kMaxSubjectLength;
    const int maxBody = TicketDraft::kMaxBodyLength;
    QCOMPARE(maxSubject, 200);
    QCOMPARE(maxBody, 20000);

    QTest::newRow("text ok") << false << QString() << u"Printer on fire"_s << none;
    QTest::newRow("text empty") << false << QString() << QString() << text;
    QTest::newRow("text whitespace") << false << QString() << u" \t\r\n  "_s << text;
    QTest::newRow("text single character") << false << QString() << u"?"_s << none;
    QTest::newRow("text at limit") << false << QString() << QString(maxBody, u'a') << none;
    QTest::newRow("text over limit") << false << QString() << QString(maxBody + 1, u'a') << text;
    // Surrounding spaces count: the stored text is the text as sent.
    QTest::newRow("text over limit with spaces")
        << false << QString() << u" "_s + QString(maxBody, u'a') << text;
    QTest::newRow("text of 20000 emoji") << false << QString() << kEmoji.repeated(maxBody) << none;
    QTest::newRow("text of 20001 emoji")
        << false << QString() << kEmoji.repeated(maxBody + 1) << text;
    QTest::newRow("text 19999 letters and an emoji")
        << false << QString() << QString(maxBody - 1, u'a') + kEmoji << none;

    QTest::newRow("pair ok") << true << u"Refund"_s << u"Where is my money?"_s << none;
    QTest::newRow("pair empty subject") << true << QString() << u"Body"_s << none;
    QTest::newRow("pair blank subject") << true << u"   "_s << u"Body"_s << none;
    QTest::newRow("pair empty body") << true << u"Subject"_s << QString() << body;
    QTest::newRow("pair whitespace body") << true << u"Subject"_s << u"\n\t "_s << body;
    QTest::newRow("pair subject at limit")
        << true << QString(maxSubject, u's') << u"Body"_s << none;
    QTest::newRow("pair subject over limit")
        << true << QString(maxSubject + 1, u's') << u"Body"_s << subject;
    QTest::newRow("pair subject of 200 emoji")
        << true << kEmoji.repeated(maxSubject) << u"Body"_s << none;
    QTest::newRow("pair subject of 201 emoji")
        << true << kEmoji.repeated(maxSubject + 1) << u"Body"_s << subject;
    QTest::newRow("pair body at limit") << true << u"Subject"_s << QString(maxBody, u'b') << none;
    QTest::newRow("pair body over limit")
        << true << u"Subject"_s << QString(maxBody + 1, u'b') << body;
    QTest::newRow("pair body of 20000 emoji")
        << true << u"Subject"_s << kEmoji.repeated(maxBody) << none;
    QTest::newRow("pair body of 20001 emoji")
        << true << u"Subject"_s << kEmoji.repeated(maxBody + 1) << body;
    // Invisible or control characters are not text a person wrote.
    QTest::newRow("text only zero-width spaces") << false << QString() << u"\u200B\u200B"_s << text;
    QTest::newRow("text only a byte-order mark and spaces")
        << false << QString() << u"\uFEFF \u2060"_s << text;
    QTest::newRow("text only NUL") << false << QString() << QString(3, QChar(0)) << text;
    QTest::newRow("text with NUL") << false << QString() << u"Printer"_s + QChar(0) << text;
    QTest::newRow("text with escape sequence")
        << false << QString() << u"Printer \x1b[2J on fire"_s << text;
    QTest::newRow("text with C1 control") << false << QString() << u"a\u009Bb"_s << text;
    QTest::newRow("text with DEL") << false << QString() << u"a\u007Fb"_s << text;
    QTest::newRow("text with tabs and line breaks")
        << false << QString() << u"Line 1\r\n\tLine 2"_s << none;
    QTest::newRow("text with a joiner inside a word")
        << false << QString() << u"Zero\u200Bwidth"_s << none;
    QTest::newRow("pair subject with NUL") << true << u"Re"_s + QChar(0) << u"Body"_s << subject;
    QTest::newRow("pair subject with a line break") << true << u"Re\nfund"_s << u"Body"_s << none;
    QTest::newRow("pair both wrong")
        << true << QString(maxSubject + 1, u's') << u" "_s << QStringList{u"subject"_s, u"body"_s};
    QTest::newRow("pair both over limit")
        << true << QString(maxSubject + 1, u's') << QString(maxBody + 1, u'b')
        << QStringList{u"subject"_s, u"body"_s};
}

void TestTicketDraft::validate()
{
    QFETCH(bool, subjectBodyForm);
    QFETCH(QString, subject);
    QFETCH(QString, body);
    QFETCH(QStringList, expectedFields);

    const TicketDraft draft =
        subjectBodyForm ? TicketDraft::fromSubjectAndBody(subject, body, TicketSource::Api)
                        : TicketDraft::fromText(body, TicketSource::Api);
    const FieldErrors errors = draft.validate();
    QCOMPARE(errorFields(errors), expectedFields);
    for (const FieldError &error : errors)
        QVERIFY2(!error.message.isEmpty(), qPrintable(error.field));
}

void TestTicketDraft::errorMessagesNameTheLimit()
{
    const FieldErrors subjectErrors =
        TicketDraft::fromSubjectAndBody(QString(201, u's'), u"b"_s, TicketSource::Api).validate();
    QCOMPARE(subjectErrors.size(), 1);
    QVERIFY2(subjectErrors.first().message.contains(u"200"_s),
             qPrintable(subjectErrors.first().message));

    const FieldErrors bodyErrors =
        TicketDraft::fromText(QString(20001, u'b'), TicketSource::Api).validate();
    QCOMPARE(bodyErrors.size(), 1);
    QVERIFY2(bodyErrors.first().message.contains(u"20000"_s),
             qPrintable(bodyErrors.first().message));
}

void TestTicketDraft::characterCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qsizetype>("count");

    QTest::newRow("empty") << QString() << qsizetype(0);
    QTest::newRow("ascii") << u"abc"_s << qsizetype(3);
    QTest::newRow("latin accent") << u"café"_s << qsizetype(4);
    QTest::newRow("euro sign") << u"€"_s << qsizetype(1);
    QTest::newRow("cjk") << u"漢字"_s << qsizetype(2);
    QTest::newRow("one emoji") << kEmoji << qsizetype(1);
    QTest::newRow("emoji between letters") << u"a"_s + kEmoji + u"b"_s << qsizetype(3);
    QTest::newRow("two emoji") << kEmoji + kEmoji << qsizetype(2);
    QTest::newRow("math letter outside BMP") << u"𝔸"_s << qsizetype(1);
    // Code points, not grapheme clusters: an accent written as a combining mark counts.
    QTest::newRow("combining accent") << u"e\u0301"_s << qsizetype(2);
}

void TestTicketDraft::characterCount()
{
    QFETCH(QString, text);
    QFETCH(qsizetype, count);

    QCOMPARE(::characterCount(text), count);
}

QTEST_GUILESS_MAIN(TestTicketDraft)
#include "tst_ticketdraft.moc"
