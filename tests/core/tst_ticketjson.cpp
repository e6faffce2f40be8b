#include "ticketjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {

QStringList errorFields(const FieldErrors &errors)
{
    QStringList fields;
    for (const FieldError &error : errors)
        fields.append(error.field);
    fields.sort();
    return fields;
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("test data is not a JSON object: %s", json.constData());
    return document.object();
}

template<typename T> QJsonObject ticketJsonOf(const T &value)
{
    return parseObject(TicketJson::toJson(value));
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

Ticket sampleTicket()
{
    Ticket ticket;
    ticket.id = 9'000'000'001; // beyond 32 bits: ids must not be squeezed through an int
    ticket.subject = u"Invoice twice"_s;
    ticket.body = u"I was charged twice.\nPlease help 😀"_s;
    ticket.form = TicketForm::SubjectBody;
    ticket.source = TicketSource::Import;
    ticket.status = TicketStatus::InProgress;
    ticket.createdAt = QDateTime(QDate(2024, 3, 5), QTime(14, 7, 9, 42), QTimeZone::utc());
    ticket.updatedAt = QDateTime(QDate(2024, 3, 6), QTime(8, 0), QTimeZone::utc());
    return ticket;
}

} // namespace

class TestTicketJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draftFromJson_data();
    void draftFromJson();
    void draftFromJsonKeepsSource();
    void draftErrorsHaveMessages();
    void draftWhomToAnswer_data();
    void draftWhomToAnswer();
    void ticketWhomToAnswer();
    void ticketFields();
    void ticketEnumNames_data();
    void ticketEnumNames();
    void ticketCategory_data();
    void ticketCategory();
    void timestamps_data();
    void timestamps();
    void ticketDataset();
    void ticketClassification_data();
    void ticketClassification();
    void needsReview();
    void page_data();
    void page();
};

void TestTicketJson::draftFromJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("expectedFields"); // sorted
    QTest::addColumn<bool>("subjectBodyForm");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("body");

    const QStringList none;
    QTest::newRow("text form") << R"({"text": "My printer is on fire"})"_ba << none << false
                               << QString() << u"My printer is on fire"_s;
    QTest::newRow("text kept as sent")
        << R"({"text": "  two\nlines  "})"_ba << none << false << QString() << u"  two\nlines  "_s;
    QTest::newRow("subject and body") << R"({"subject": "Refund", "body": "Where is it?"})"_ba
                                      << none << true << u"Refund"_s << u"Where is it?"_s;
    QTest::newRow("empty subject") << R"({"subject": "", "body": "Where is it?"})"_ba << none
                                   << true << QString() << u"Where is it?"_s;

    QTest::newRow("both forms") << R"({"text": "a", "subject": "b", "body": "c"})"_ba
                                << QStringList{u"text"_s} << false << QString() << QString();
    QTest::newRow("text and subject") << R"({"text": "a", "subject": "b"})"_ba
                                      << QStringList{u"text"_s} << false << QString() << QString();
    QTest::newRow("text and body") << R"({"text": "a", "body": "c"})"_ba << QStringList{u"text"_s}
                                   << false << QString() << QString();
    QTest::newRow("neither form") << "{}"_ba << QStringList{u"text"_s} << false << QString()
                                  << QString();
    QTest::newRow("subject without body") << R"({"subject": "Refund"})"_ba << QStringList{u"body"_s}
                                          << false << QString() << QString();
    QTest::newRow("body without subject")
        << R"({"body": "Where is it?"})"_ba << QStringList{u"subject"_s} << false << QString()
        << QString();

    QTest::newRow("unknown field") << R"({"text": "hello", "priority": "high"})"_ba
                                   << QStringList{u"priority"_s} << false << QString() << QString();
    QTest::newRow("only an unknown field")
        << R"({"message": "hello"})"_ba << QStringList{u"message"_s, u"text"_s} << false
        << QString() << QString();
    QTest::newRow("field names are case sensitive")
        << R"({"Text": "hello"})"_ba << QStringList{u"Text"_s, u"text"_s} << false << QString()
        << QString();

    // A wrong type is reported once, as a type error, not again as a blank value.
    QTest::newRow("text is a number")
        << R"({"text": 42})"_ba << QStringList{u"text"_s} << false << QString() << QString();
    QTest::newRow("text is null") << R"({"text": null})"_ba << QStringList{u"text"_s} << false
                                  << QString() << QString();
    QTest::newRow("subject is an array")
        << R"({"subject": ["a"], "body": "b"})"_ba << QStringList{u"subject"_s} << false
        << QString() << QString();
    QTest::newRow("body is an object") << R"({"subject": "a", "body": {"x": 1}})"_ba
                                       << QStringList{u"body"_s} << false << QString() << QString();
    QTest::newRow("both values not strings")
        << R"({"subject": 1, "body": false})"_ba << QStringList{u"body"_s, u"subject"_s} << false
        << QString() << QString();

    QTest::newRow("blank text") << R"({"text": "   "})"_ba << QStringList{u"text"_s} << false
                                << QString() << QString();
    QTest::newRow("blank text and unknown field")
        << R"({"text": " ", "foo": 1})"_ba << QStringList{u"foo"_s, u"text"_s} << false << QString()
        << QString();
    QTest::newRow("blank body") << R"({"subject": "Refund", "body": "\n\t"})"_ba
                                << QStringList{u"body"_s} << false << QString() << QString();
    QTest::newRow("long subject and blank body")
        << (R"({"subject": ")" + QByteArray(201, 's') + R"(", "body": " "})")
        << QStringList{u"body"_s, u"subject"_s} << false << QString() << QString();
    QTest::newRow("text too long") << (R"({"text": ")" + QByteArray(20001, 't') + R"("})")
                                   << QStringList{u"text"_s} << false << QString() << QString();
    QTest::newRow("text at limit") << (R"({"text": ")" + QByteArray(20000, 't') + R"("})") << none
                                   << false << QString() << QString(20000, u't');
}

void TestTicketJson::draftFromJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, expectedFields);
    QFETCH(bool, subjectBodyForm);
    QFETCH(QString, subject);
    QFETCH(QString, body);

    const Validated<TicketDraft> result =
        TicketJson::draftFromJson(parseObject(json), TicketSource::Api);
    QCOMPARE(errorFields(result.errors), expectedFields);
    if (!expectedFields.isEmpty())
        return;
    QCOMPARE(result.value.form, subjectBodyForm ? TicketForm::SubjectBody : TicketForm::Text);
    QCOMPARE(result.value.subject, subject);
    QCOMPARE(result.value.body, body);
    QVERIFY(!result.value.dataset);
}

void TestTicketJson::draftFromJsonKeepsSource()
{
    const QJsonObject object = parseObject(R"({"text": "hello"})"_ba);
    QCOMPARE(TicketJson::draftFromJson(object, TicketSource::Gui).value.source, TicketSource::Gui);
    QCOMPARE(TicketJson::draftFromJson(object, TicketSource::Api).value.source, TicketSource::Api);
}

void TestTicketJson::draftErrorsHaveMessages()
{
    const Validated<TicketDraft> result = TicketJson::draftFromJson(
        parseObject(R"({"subject": "Refund", "x": 1})"_ba), TicketSource::Api);
    QCOMPARE(result.errors.size(), 2);
    for (const FieldError &error : result.errors)
        QVERIFY2(!error.message.isEmpty(), qPrintable(error.field));
}

void TestTicketJson::draftWhomToAnswer_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("expectedFields");
    QTest::addColumn<QString>("requester");
    QTest::addColumn<QString>("threadRef");

    const QStringList none;
    QTest::newRow("both") << R"({"text": "hi", "requester": "ann@example.com",)"
                             R"( "thread_ref": "<a1@mail.example.com>"})"_ba
                          << none << u"ann@example.com"_s << u"<a1@mail.example.com>"_s;
    QTest::newRow("neither") << R"({"text": "hi"})"_ba << none << QString() << QString();
    QTest::newRow("null is left out")
        << R"({"text": "hi", "requester": null, "thread_ref": null})"_ba << none << QString()
        << QString();
    QTest::newRow("with subject and body")
        << R"({"subject": "s", "body": "b", "requester": "crm:4711"})"_ba << none << u"crm:4711"_s
        << QString();
    QTest::newRow("empty") << R"({"text": "hi", "requester": ""})"_ba << QStringList{u"requester"_s}
                           << QString() << QString();
    QTest::newRow("blank") << R"({"text": "hi", "thread_ref": "  "})"_ba
                           << QStringList{u"thread_ref"_s} << QString() << QString();
    // A line break in an address would let a relay write a header of its own.
    QTest::newRow("line break") << R"({"text": "hi", "requester": "a@b.c\nBcc: x@y.z"})"_ba
                                << QStringList{u"requester"_s} << QString() << QString();
    QTest::newRow("line separator")
        << QByteArray(R"({"text": "hi", "requester": "a@b.c\u2028Bcc: x@y.z"})")
        << QStringList{u"requester"_s} << QString() << QString();
    QTest::newRow("right-to-left override")
        << QByteArray(R"({"text": "hi", "requester": "moc.elpmaxe@\u202eann"})")
        << QStringList{u"requester"_s} << QString() << QString();
    QTest::newRow("tab") << R"({"text": "hi", "thread_ref": "a\tb"})"_ba
                         << QStringList{u"thread_ref"_s} << QString() << QString();
    QTest::newRow("a number") << R"({"text": "hi", "requester": 42})"_ba
                              << QStringList{u"requester"_s} << QString() << QString();
    QTest::newRow("requester too long")
        << (R"({"text": "hi", "requester": ")" + QByteArray(255, 'r') + R"("})")
        << QStringList{u"requester"_s} << QString() << QString();
    QTest::newRow("requester at limit")
        << (R"({"text": "hi", "requester": ")" + QByteArray(254, 'r') + R"("})") << none
        << QString(254, u'r') << QString();
    QTest::newRow("thread too long")
        << (R"({"text": "hi", "thread_ref": ")" + QByteArray(999, 't') + R"("})")
        << QStringList{u"thread_ref"_s} << QString() << QString();
}

void TestTicketJson::draftWhomToAnswer()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, expectedFields);
    QFETCH(QString, requester);
    QFETCH(QString, threadRef);

    const Validated<TicketDraft> result =
        TicketJson::draftFromJson(parseObject(json), TicketSource::Api);
    QCOMPARE(errorFields(result.errors), expectedFields);
    if (!expectedFields.isEmpty())
        return;
    QCOMPARE(result.value.requester, requester);
    QCOMPARE(result.value.threadRef, threadRef);
}

void TestTicketJson::ticketWhomToAnswer()
{
    Ticket ticket = sampleTicket();
    ticket.requester = u"ann@example.com"_s;
    ticket.threadRef = u"<a1@mail.example.com>"_s;
    const QJsonObject json = ticketJsonOf(ticket);
    QCOMPARE(json.value(u"requester"_s).toString(), ticket.requester);
    QCOMPARE(json.value(u"thread_ref"_s).toString(), ticket.threadRef);
}

void TestTicketJson::ticketFields()
{
    const QJsonObject json = ticketJsonOf(sampleTicket());

    QCOMPARE(
        sortedKeys(json),
        (QStringList{u"assignee"_s, u"body"_s, u"category"_s, u"classification"_s, u"created_at"_s,
                     u"dataset"_s, u"form"_s, u"id"_s, u"needs_review"_s, u"requester"_s,
                     u"source"_s, u"status"_s, u"subject"_s, u"thread_ref"_s, u"updated_at"_s}));
    QVERIFY(json.value(u"assignee"_s).isNull());
    QVERIFY(json.value(u"requester"_s).isNull());
    QVERIFY(json.value(u"thread_ref"_s).isNull());
    QVERIFY(json.value(u"id"_s).isDouble());
    QCOMPARE(json.value(u"id"_s).toInteger(), 9'000'000'001);
    QCOMPARE(json.value(u"subject"_s).toString(), u"Invoice twice"_s);
    QCOMPARE(json.value(u"body"_s).toString(), u"I was charged twice.\nPlease help 😀"_s);
    QCOMPARE(json.value(u"form"_s).toString(), u"subject_body"_s);
    QCOMPARE(json.value(u"source"_s).toString(), u"import"_s);
    QCOMPARE(json.value(u"status"_s).toString(), u"in_progress"_s);
    QVERIFY(json.value(u"category"_s).isNull());
    QCOMPARE(json.value(u"created_at"_s).toString(), u"2024-03-05T14:07:09.042Z"_s);
    QCOMPARE(json.value(u"updated_at"_s).toString(), u"2024-03-06T08:00:00.000Z"_s);
    QVERIFY(json.value(u"dataset"_s).isNull());
    QCOMPARE(json.value(u"classification"_s).toObject(),
             (QJsonObject{{u"status"_s, u"pending"_s}}));
}

void TestTicketJson::ticketEnumNames_data()
{
    QTest::addColumn<TicketForm>("form");
    QTest::addColumn<TicketSource>("source");
    QTest::addColumn<TicketStatus>("status");
    QTest::addColumn<QString>("formName");
    QTest::addColumn<QString>("sourceName");
    QTest::addColumn<QString>("statusName");

    QTest::newRow("text api open") << TicketForm::Text << TicketSource::Api << TicketStatus::Open
                                   << u"text"_s << u"api"_s << u"open"_s;
    QTest::newRow("pair gui in progress")
        << TicketForm::SubjectBody << TicketSource::Gui << TicketStatus::InProgress
        << u"subject_body"_s << u"gui"_s << u"in_progress"_s;
    QTest::newRow("text import resolved")
        << TicketForm::Text << TicketSource::Import << TicketStatus::Resolved << u"text"_s
        << u"import"_s << u"resolved"_s;
    QTest::newRow("pair api closed")
        << TicketForm::SubjectBody << TicketSource::Api << TicketStatus::Closed << u"subject_body"_s
        << u"api"_s << u"closed"_s;
}

void TestTicketJson::ticketEnumNames()
{
    QFETCH(TicketForm, form);
    QFETCH(TicketSource, source);
    QFETCH(TicketStatus, status);
    QFETCH(QString, formName);
    QFETCH(QString, sourceName);
    QFETCH(QString, statusName);

    Ticket ticket = sampleTicket();
    ticket.form = form;
    ticket.source = source;
    ticket.status = status;
    const QJsonObject json = ticketJsonOf(ticket);
    QCOMPARE(json.value(u"form"_s).toString(), formName);
    QCOMPARE(json.value(u"source"_s).toString(), sourceName);
    QCOMPARE(json.value(u"status"_s).toString(), statusName);
}

void TestTicketJson::ticketCategory_data()
{
    QTest::addColumn<std::optional<Category>>("category");
    QTest::addColumn<QJsonValue>("expected");

    QTest::newRow("unclassified") << std::optional<Category>() << QJsonValue(QJsonValue::Null);
    QTest::newRow("technical") << std::optional(Category::Technical) << QJsonValue(u"technical"_s);
    QTest::newRow("billing") << std::optional(Category::Billing) << QJsonValue(u"billing"_s);
    QTest::newRow("general") << std::optional(Category::General) << QJsonValue(u"general"_s);
}

void TestTicketJson::ticketCategory()
{
    QFETCH(std::optional<Category>, category);
    QFETCH(QJsonValue, expected);

    Ticket ticket = sampleTicket();
    ticket.category = category;
    const QJsonObject json = ticketJsonOf(ticket);
    QVERIFY(json.contains(u"category"_s));
    QCOMPARE(json.value(u"category"_s), expected);
}

void TestTicketJson::timestamps_data()
{
    QTest::addColumn<QDateTime>("createdAt");
    QTest::addColumn<QString>("expected");

    QTest::newRow("utc with milliseconds")
        << QDateTime(QDate(2024, 3, 5), QTime(14, 7, 9, 42), QTimeZone::utc())
        << u"2024-03-05T14:07:09.042Z"_s;
    QTest::newRow("whole second keeps .000")
        << QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59), QTimeZone::utc())
        << u"2024-12-31T23:59:59.000Z"_s;
    // Whatever zone the instant was built in, JSON shows it in UTC.
    QTest::newRow("offset converted to utc")
        << QDateTime(QDate(2024, 1, 1), QTime(1, 30, 0, 5), QTimeZone(2 * 3600))
        << u"2023-12-31T23:30:00.005Z"_s;
    QTest::newRow("from epoch milliseconds")
        << QDateTime::fromMSecsSinceEpoch(1'714'564'800'123, QTimeZone::utc())
        << u"2024-05-01T12:00:00.123Z"_s;
}

void TestTicketJson::timestamps()
{
    QFETCH(QDateTime, createdAt);
    QFETCH(QString, expected);

    Ticket ticket = sampleTicket();
    ticket.createdAt = createdAt;
    QCOMPARE(ticketJsonOf(ticket).value(u"created_at"_s).toString(), expected);
}

void TestTicketJson::ticketDataset()
{
    Ticket ticket = sampleTicket();
    QVERIFY(ticketJsonOf(ticket).value(u"dataset"_s).isNull());

    ticket.dataset =
        DatasetInfo{u"Billing and Payments"_s, u"high"_s, u"en"_s, u"We refunded the duplicate."_s};
    const QJsonValue dataset = ticketJsonOf(ticket).value(u"dataset"_s);
    QVERIFY(dataset.isObject());
    const QJsonObject object = dataset.toObject();
    QCOMPARE(sortedKeys(object),
             (QStringList{u"answer"_s, u"language"_s, u"priority"_s, u"queue"_s}));
    QCOMPARE(object.value(u"queue"_s).toString(), u"Billing and Payments"_s);
    QCOMPARE(object.value(u"priority"_s).toString(), u"high"_s);
    QCOMPARE(object.value(u"language"_s).toString(), u"en"_s);
    QCOMPARE(object.value(u"answer"_s).toString(), u"We refunded the duplicate."_s);
}

void TestTicketJson::ticketClassification_data()
{
    QTest::addColumn<std::optional<ClassificationJob>>("job");
    QTest::addColumn<bool>("classified");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QStringList>("keys");

    const QStringList resultKeys{u"attempts"_s,      u"category"_s, u"confidence"_s,
                                 u"created_at"_s,    u"fallback"_s, u"model"_s,
                                 u"model_version"_s, u"priority"_s, u"processing_ms"_s,
                                 u"provider"_s,      u"status"_s,   u"summary"_s};
    const ClassificationJob pending;
    ClassificationJob failed;
    failed.state = ClassificationState::Failed;
    failed.attempts = 2;
    failed.lastError = u"remote: HTTP 503"_s;
    failed.nextAttemptAt = QDateTime(QDate(2024, 3, 5), QTime(15, 0), QTimeZone::utc());
    const QStringList failureKeys{u"error"_s, u"failed_attempts"_s, u"retry_at"_s};

    QTest::newRow("pending") << std::optional(pending) << false << u"pending"_s
                             << QStringList{u"status"_s};
    QTest::newRow("classified") << std::optional<ClassificationJob>() << true << u"classified"_s
                                << resultKeys;
    QTest::newRow("failed") << std::optional(failed) << false << u"failed"_s
                            << (failureKeys + QStringList{u"status"_s});
    QStringList both = resultKeys + failureKeys;
    both.sort();
    QTest::newRow("failed again after a result")
        << std::optional(failed) << true << u"failed"_s << both;
}

void TestTicketJson::ticketClassification()
{
    QFETCH(std::optional<ClassificationJob>, job);
    QFETCH(bool, classified);
    QFETCH(QString, status);
    QFETCH(QStringList, keys);

    Ticket ticket = sampleTicket();
    ticket.job = job;
    if (classified) {
        Classification classification;
        classification.id = 7;
        classification.ticketId = ticket.id;
        classification.category = Category::Billing;
        classification.confidence = 0.875;
        classification.priority = Priority::High;
        classification.summary = u"Customer was charged twice."_s;
        classification.provider = ClassificationProvider::Learned;
        classification.model = u"fasttext-20240301"_s;
        classification.modelVersion = u"3"_s;
        classification.fallback = true;
        classification.attempts = 3;
        classification.processingMs = 1234;
        classification.createdAt =
            QDateTime(QDate(2024, 3, 5), QTime(14, 7, 10, 500), QTimeZone::utc());
        ticket.classification = classification;
        ticket.category = Category::Billing;
    }

    const QJsonValue value = ticketJsonOf(ticket).value(u"classification"_s);
    QVERIFY(value.isObject());
    const QJsonObject object = value.toObject();
    QCOMPARE(sortedKeys(object), keys);
    QCOMPARE(object.value(u"status"_s).toString(), status);
    if (classified) {
        QCOMPARE(object.value(u"category"_s).toString(), u"billing"_s);
        QCOMPARE(object.value(u"confidence"_s).toDouble(), 0.875);
        QCOMPARE(object.value(u"priority"_s).toString(), u"high"_s);
        QCOMPARE(object.value(u"summary"_s).toString(), u"Customer was charged twice."_s);
        QCOMPARE(object.value(u"provider"_s).toString(), u"learned"_s);
        QCOMPARE(object.value(u"model"_s).toString(), u"fasttext-20240301"_s);
        QCOMPARE(object.value(u"model_version"_s).toString(), u"3"_s);
        QCOMPARE(object.value(u"fallback"_s), QJsonValue(true));
        QCOMPARE(object.value(u"attempts"_s).toInteger(), 3);
        QCOMPARE(object.value(u"processing_ms"_s).toInteger(), 1234);
        QCOMPARE(object.value(u"created_at"_s).toString(), u"2024-03-05T14:07:10.500Z"_s);
    }
    if (job && job->state == ClassificationState::Failed) {
        QCOMPARE(object.value(u"error"_s).toString(), u"remote: HTTP 503"_s);
        QCOMPARE(object.value(u"failed_attempts"_s).toInteger(), 2);
        QCOMPARE(object.value(u"retry_at"_s).toString(), u"2024-03-05T15:00:00.000Z"_s);
    }
}

void TestTicketJson::needsReview()
{
    Ticket ticket = sampleTicket();
    QCOMPARE(ticketJsonOf(ticket).value(u"needs_review"_s), QJsonValue(false));
    ticket.needsReview = true;
    QCOMPARE(ticketJsonOf(ticket).value(u"needs_review"_s), QJsonValue(true));
}

void TestTicketJson::page_data()
{
    QTest::addColumn<int>("itemCount");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<bool>("hasNext");

    QTest::newRow("empty last page") << 0 << qint64(0) << false;
    QTest::newRow("last page") << 2 << qint64(2) << false;
    QTest::newRow("more to come") << 3 << qint64(120) << true;
}

void TestTicketJson::page()
{
    QFETCH(int, itemCount);
    QFETCH(qint64, total);
    QFETCH(bool, hasNext);

    TicketPage page;
    for (int i = 0; i < itemCount; ++i) {
        Ticket ticket = sampleTicket();
        ticket.id = 100 - i;
        page.items.append(ticket);
    }
    page.total = total;
    const PageCursor next{1'714'564'800'123, 98};
    if (hasNext)
        page.next = next;

    const QJsonObject json = ticketJsonOf(page);
    QCOMPARE(sortedKeys(json), (QStringList{u"items"_s, u"limit"_s, u"next_cursor"_s, u"total"_s}));
    QCOMPARE(json.value(u"limit"_s).toInt(), TicketQuery::kDefaultLimit);
    QCOMPARE(json.value(u"total"_s).toInteger(), total);

    const QJsonArray items = json.value(u"items"_s).toArray();
    QCOMPARE(items.size(), itemCount);
    for (int i = 0; i < itemCount; ++i) {
        // Items are the same shape as a single ticket, in the page's order.
        QCOMPARE(items.at(i).toObject(), ticketJsonOf(page.items.at(i)));
        QCOMPARE(items.at(i).toObject().value(u"id"_s).toInteger(), 100 - i);
    }

    const QJsonValue cursor = json.value(u"next_cursor"_s);
    if (!hasNext) {
        QVERIFY(cursor.isNull());
        return;
    }
    QVERIFY(cursor.isString());
    QCOMPARE(cursor.toString(), next.encode());
    QCOMPARE(PageCursor::decode(cursor.toString()), std::optional(next));
}

QTEST_GUILESS_MAIN(TestTicketJson)
#include "tst_ticketjson.moc"
