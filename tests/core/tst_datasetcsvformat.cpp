#include "datasetcsvformat.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QStringList tagColumns(int count)
{
    QStringList tags;
    for (int i = 1; i <= count; ++i)
        tags.append(u"tag_%1"_s.arg(i));
    return tags;
}

// The headers of the three published dataset versions, as the files spell them.
QStringList v4Header()
{
    return QStringList{u"subject"_s, u"body"_s,     u"answer"_s,  u"type"_s,
                       u"queue"_s,   u"priority"_s, u"language"_s} +
           tagColumns(8);
}

QStringList v3Header()
{
    return QStringList{u"subject"_s, u"body"_s,     u"answer"_s,   u"type"_s,
                       u"queue"_s,   u"priority"_s, u"language"_s, u"business_type"_s} +
           tagColumns(9);
}

QStringList v5Header()
{
    return QStringList{u"subject"_s, u"body"_s,     u"answer"_s,   u"type"_s,
                       u"queue"_s,   u"priority"_s, u"language"_s, u"version"_s} +
           tagColumns(8);
}

struct RowValues
{
    QString subject = u"Printer offline"_s;
    QString body = u"The office printer shows offline since Monday."_s;
    QString answer = u"Please restart the print spooler."_s;
    QString queue = u"IT Support"_s;
    QString priority = u"high"_s;
    QString language = u"en"_s;
};

// Builds a row for any header: known columns get their value, every other column a filler.
QStringList rowFor(const QStringList &header, const RowValues &values)
{
    QStringList row;
    for (const QString &column : header) {
        const QString name = column.trimmed().toLower();
        if (name == u"subject")
            row.append(values.subject);
        else if (name == u"body")
            row.append(values.body);
        else if (name == u"answer")
            row.append(values.answer);
        else if (name == u"queue")
            row.append(values.queue);
        else if (name == u"priority")
            row.append(values.priority);
        else if (name == u"language")
            row.append(values.language);
        else
            row.append(u"filler:"_s + name);
    }
    return row;
}

QStringList errorFields(const FieldErrors &errors)
{
    QStringList fields;
    for (const FieldError &error : errors)
        fields.append(error.field);
    return fields;
}

TicketDraft draftWith(const RowValues &values)
{
    return DatasetCsvFormat(v4Header()).draftFromRow(rowFor(v4Header(), values)).value;
}

} // namespace

class TestDatasetCsvFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requiredColumns();
    void headerDetection_data();
    void headerDetection();
    void draftFromRow_data();
    void draftFromRow();
    void literalBackslashNBecomesNewline();
    void wrongFieldCountRejected_data();
    void wrongFieldCountRejected();
    void rowRules_data();
    void rowRules();
    void languageLowerCased_data();
    void languageLowerCased();
    void contentKeyStableForEqualDrafts();
    void contentKeyIgnoresWhenAndHow();
    void contentKeyKeepsFieldsApart();
    void contentKeyChangesWithContent_data();
    void contentKeyChangesWithContent();
};

void TestDatasetCsvFormat::requiredColumns()
{
    QCOMPARE(DatasetCsvFormat::requiredColumns(),
             (QStringList{u"subject"_s, u"body"_s, u"answer"_s, u"queue"_s, u"priority"_s,
                          u"language"_s}));
}

void TestDatasetCsvFormat::headerDetection_data()
{
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<QStringList>("missing");

    QTest::newRow("v4") << v4Header() << QStringList();
    QTest::newRow("v3 business_type and tag_9") << v3Header() << QStringList();
    QTest::newRow("v5 version") << v5Header() << QStringList();
    QTest::newRow("required only, reordered")
        << QStringList{u"language"_s, u"queue"_s, u"priority"_s,
                       u"answer"_s,   u"body"_s,  u"subject"_s}
        << QStringList();
    QTest::newRow("odd case and spaces")
        << QStringList{u" Subject"_s, u"BODY"_s,     u"Answer "_s,
                       u"Queue"_s,    u"Priority"_s, u"\tLanguage"_s}
        << QStringList();

    QStringList noQueue = v4Header();
    noQueue.removeOne(u"queue"_s);
    QTest::newRow("missing queue") << noQueue << QStringList{u"queue"_s};

    QStringList noBodyNoLanguage = v3Header();
    noBodyNoLanguage.removeOne(u"body"_s);
    noBodyNoLanguage.removeOne(u"language"_s);
    QTest::newRow("missing body and language")
        << noBodyNoLanguage << QStringList{u"body"_s, u"language"_s};

    QTest::newRow("misspelt column") << QStringList{u"subject"_s, u"body"_s,     u"answers"_s,
                                                    u"queue"_s,   u"priority"_s, u"language"_s}
                                     << QStringList{u"answer"_s};
    QTest::newRow("empty header") << QStringList() << DatasetCsvFormat::requiredColumns();
    QTest::newRow("some other csv")
        << QStringList{u"id"_s, u"name"_s, u"email"_s} << DatasetCsvFormat::requiredColumns();
}

void TestDatasetCsvFormat::headerDetection()
{
    QFETCH(QStringList, header);
    QFETCH(QStringList, missing);

    const DatasetCsvFormat format(header);
    QCOMPARE(format.missingColumns(), missing);
    QCOMPARE(format.isValid(), missing.isEmpty());
}

void TestDatasetCsvFormat::draftFromRow_data()
{
    QTest::addColumn<QStringList>("header");

    QTest::newRow("v4") << v4Header();
    QTest::newRow("v3") << v3Header();
    QTest::newRow("v5") << v5Header();
    QTest::newRow("reordered") << QStringList{u"version"_s, u"language"_s, u"queue"_s,
                                              u"body"_s,    u"priority"_s, u"answer"_s,
                                              u"subject"_s, u"type"_s};
}

void TestDatasetCsvFormat::draftFromRow()
{
    QFETCH(QStringList, header);

    RowValues values;
    values.subject = u"  Invoice twice  "_s;
    values.body = u"I was charged twice for order 4411."_s;
    values.answer = u"We refunded the duplicate."_s;
    values.queue = u"Billing and Payments"_s;
    values.priority = u"medium"_s;
    values.language = u"en"_s;

    const DatasetCsvFormat format(header);
    QVERIFY(format.isValid());
    const Validated<TicketDraft> result = format.draftFromRow(rowFor(header, values));
    QVERIFY2(result.isValid(), qPrintable(errorFields(result.errors).join(u',')));

    const TicketDraft &draft = result.value;
    QCOMPARE(draft.subject, u"Invoice twice"_s);
    QCOMPARE(draft.body, values.body);
    QCOMPARE(draft.form, TicketForm::SubjectBody);
    QCOMPARE(draft.source, TicketSource::Import);
    QVERIFY(draft.dataset.has_value());
    QCOMPARE(draft.dataset->queue, values.queue);
    QCOMPARE(draft.dataset->priority, values.priority);
    QCOMPARE(draft.dataset->language, values.language);
    QCOMPARE(draft.dataset->answer, values.answer);
}

void TestDatasetCsvFormat::literalBackslashNBecomesNewline()
{
    RowValues values;
    values.body = uR"(Dear team,\n\nmy VPN drops.\nRegards)"_s;
    values.answer = uR"(Hello,\nplease update the client.)"_s;

    const DatasetCsvFormat format(v5Header());
    const Validated<TicketDraft> result = format.draftFromRow(rowFor(v5Header(), values));
    QVERIFY(result.isValid());
    QCOMPARE(result.value.body, u"Dear team,\n\nmy VPN drops.\nRegards"_s);
    QCOMPARE(result.value.dataset->answer, u"Hello,\nplease update the client."_s);
}

void TestDatasetCsvFormat::wrongFieldCountRejected_data()
{
    QTest::addColumn<int>("delta");

    QTest::newRow("one field short") << -1;
    QTest::newRow("one field extra") << 1;
    QTest::newRow("only the required columns") << 6 - int(v3Header().size());
}

void TestDatasetCsvFormat::wrongFieldCountRejected()
{
    QFETCH(int, delta);

    const QStringList header = v3Header();
    QStringList row = rowFor(header, RowValues());
    if (delta < 0)
        row.resize(row.size() + delta);
    else
        row += QStringList(delta, u"extra"_s);

    const Validated<TicketDraft> result = DatasetCsvFormat(header).draftFromRow(row);
    QCOMPARE(errorFields(result.errors), QStringList{u"row"_s});
    const QString message = result.errors.first().message;
    QVERIFY2(message.contains(QString::number(row.size())), qPrintable(message));
    QVERIFY2(message.contains(QString::number(header.size())), qPrintable(message));
}

void TestDatasetCsvFormat::rowRules_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("expectedFields");

    const QString body = u"Something is wrong."_s;
    QTest::newRow("ordinary") << u"Hello"_s << body << QStringList();
    // The dataset has rows without a subject; they are still tickets.
    QTest::newRow("empty subject") << QString() << body << QStringList();
    QTest::newRow("empty body") << u"Hello"_s << QString() << QStringList{u"body"_s};
    QTest::newRow("blank body") << u"Hello"_s << u" \t \r\n "_s << QStringList{u"body"_s};
    QTest::newRow("body of literal newlines")
        << u"Hello"_s << uR"(\n\n)"_s << QStringList{u"body"_s};
    QTest::newRow("subject of 200") << QString(200, u's') << body << QStringList();
    QTest::newRow("subject of 201") << QString(201, u's') << body << QStringList{u"subject"_s};
    QTest::newRow("padded subject of 200")
        << u"  "_s + QString(200, u's') + u"  "_s << body << QStringList();
    QTest::newRow("long subject and blank body")
        << QString(201, u's') << QString() << QStringList{u"subject"_s, u"body"_s};
    QTest::newRow("body of 20000") << u"Hello"_s << QString(20000, u'b') << QStringList();
    QTest::newRow("body of 20001") << u"Hello"_s << QString(20001, u'b') << QStringList{u"body"_s};
}

void TestDatasetCsvFormat::rowRules()
{
    QFETCH(QString, subject);
    QFETCH(QString, body);
    QFETCH(QStringList, expectedFields);

    RowValues values;
    values.subject = subject;
    values.body = body;
    const Validated<TicketDraft> result =
        DatasetCsvFormat(v4Header()).draftFromRow(rowFor(v4Header(), values));
    QCOMPARE(errorFields(result.errors), expectedFields);
    for (const FieldError &error : result.errors)
        QVERIFY(!error.message.isEmpty());
}

void TestDatasetCsvFormat::languageLowerCased_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("expected");

    QTest::newRow("en") << u"en"_s << u"en"_s;
    QTest::newRow("EN") << u"EN"_s << u"en"_s;
    QTest::newRow("De padded") << u" De "_s << u"de"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestDatasetCsvFormat::languageLowerCased()
{
    QFETCH(QString, language);
    QFETCH(QString, expected);

    RowValues values;
    values.language = language;
    const TicketDraft draft = draftWith(values);
    QVERIFY(draft.dataset.has_value());
    QCOMPARE(draft.dataset->language, expected);
}

void TestDatasetCsvFormat::contentKeyStableForEqualDrafts()
{
    const QByteArray first = DatasetCsvFormat::contentKey(draftWith(RowValues()));
    const QByteArray second = DatasetCsvFormat::contentKey(draftWith(RowValues()));
    QCOMPARE(first, second);
    QCOMPARE(first.size(), 32);
    QVERIFY(QByteArray::fromHex(first).toHex() == first);

    // The same row read from another published version is the same ticket.
    RowValues values;
    const TicketDraft fromV3 =
        DatasetCsvFormat(v3Header()).draftFromRow(rowFor(v3Header(), values)).value;
    QCOMPARE(DatasetCsvFormat::contentKey(fromV3), first);
}

void TestDatasetCsvFormat::contentKeyIgnoresWhenAndHow()
{
    // Imports spread tickets over past days; a re-import must still find the stored copy.
    TicketDraft draft = draftWith(RowValues());
    const QByteArray key = DatasetCsvFormat::contentKey(draft);
    draft.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);
    draft.source = TicketSource::Api;
    QCOMPARE(DatasetCsvFormat::contentKey(draft), key);
}

void TestDatasetCsvFormat::contentKeyKeepsFieldsApart()
{
    // Text moving from one column to the next is a different ticket, not the same bytes.
    RowValues left;
    left.subject = u"Printer"_s;
    left.body = u"offline"_s;
    RowValues right;
    right.subject = u"Printe"_s;
    right.body = u"roffline"_s;
    QVERIFY(DatasetCsvFormat::contentKey(draftWith(left)) !=
            DatasetCsvFormat::contentKey(draftWith(right)));
}

void TestDatasetCsvFormat::contentKeyChangesWithContent_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("value");

    QTest::newRow("subject") << u"subject"_s << u"Printer offline!"_s;
    QTest::newRow("empty subject") << u"subject"_s << QString();
    QTest::newRow("body") << u"body"_s << u"The office printer shows offline since Tuesday."_s;
    QTest::newRow("answer") << u"answer"_s << u"Please restart the printer."_s;
    QTest::newRow("empty answer") << u"answer"_s << QString();
    QTest::newRow("queue") << u"queue"_s << u"Technical Support"_s;
    QTest::newRow("priority") << u"priority"_s << u"low"_s;
    QTest::newRow("language") << u"language"_s << u"de"_s;
}

void TestDatasetCsvFormat::contentKeyChangesWithContent()
{
    QFETCH(QString, column);
    QFETCH(QString, value);

    RowValues changed;
    QString *target = column == u"subject"    ? &changed.subject
                      : column == u"body"     ? &changed.body
                      : column == u"answer"   ? &changed.answer
                      : column == u"queue"    ? &changed.queue
                      : column == u"priority" ? &changed.priority
                                              : &changed.language;
    QVERIFY(*target != value);
    *target = value;

    QVERIFY(DatasetCsvFormat::contentKey(draftWith(changed)) !=
            DatasetCsvFormat::contentKey(draftWith(RowValues())));
}

QTEST_GUILESS_MAIN(TestDatasetCsvFormat)
#include "tst_datasetcsvformat.moc"
