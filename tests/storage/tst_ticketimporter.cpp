#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketimporter.h"
#include "ticketrepository.h"
#include "timestamps.h"

#include <QBuffer>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(SC_FIXTURES_DIR "/") + name;
}

// Hands out its data, then fails like a disk error would, to prove a failed import stores nothing.
class FailingDevice : public QIODevice
{
public:
    explicit FailingDevice(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool atEnd() const override { return false; }

protected:
    qint64 readData(char *out, qint64 maxSize) override
    {
        if (m_position >= m_data.size()) {
            setErrorString(u"simulated read error"_s);
            return -1;
        }
        const qint64 n = qMin<qint64>(maxSize, m_data.size() - m_position);
        memcpy(out, m_data.constData() + m_position, size_t(n));
        m_position += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_position = 0;
};

} // namespace

class TestTicketImporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void importsEveryDatasetVersion_data();
    void importsEveryDatasetVersion();
    void keepsQuotedAndLiteralNewlines();
    void reimportingStoresNothingTwice();
    void reportsBrokenRowsAndKeepsTheRest();
    void limitStopsEarly();
    void allLanguages();
    void spreadsCreatedAtOverPastDays();
    void missingColumnsImportNothing();
    void readFailureRollsEverythingBack();
    void hostileFiles_data();
    void hostileFiles();

private:
    TicketImporter::Summary importFile(const QString &name, TicketImporter::Options options = {});

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestTicketImporter::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestTicketImporter::cleanup()
{
    m_temporary.reset();
}

TicketImporter::Summary TestTicketImporter::importFile(const QString &name,
                                                       TicketImporter::Options options)
{
    QFile file(fixture(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    TicketImporter importer(m_temporary->database());
    return importer.import(&file, options);
}

void TestTicketImporter::importsEveryDatasetVersion_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("read");
    QTest::addColumn<int>("imported");
    QTest::addColumn<int>("otherLanguage");

    QTest::newRow("v4") << u"tickets-v4.csv"_s << 5 << 4 << 1;
    QTest::newRow("v5 literal newlines") << u"tickets-v5-literal-newlines.csv"_s << 2 << 2 << 0;
    QTest::newRow("v3 extra columns, CRLF")
        << u"tickets-v3-extra-columns-crlf.csv"_s << 3 << 2 << 1;
}

void TestTicketImporter::importsEveryDatasetVersion()
{
    QFETCH(QString, file);
    QFETCH(int, read);
    QFETCH(int, imported);
    QFETCH(int, otherLanguage);

    const TicketImporter::Summary summary = importFile(file);
    QCOMPARE(summary.read, read);
    QCOMPARE(summary.imported, imported);
    QCOMPARE(summary.otherLanguage, otherLanguage);
    QCOMPARE(summary.alreadyImported, 0);
    QVERIFY(summary.rejected.isEmpty());

    TicketRepository tickets(m_temporary->database());
    QCOMPARE(tickets.count(), imported);
    for (const Ticket &ticket : tickets.list(TicketQuery{}).items) {
        QCOMPARE(ticket.source, TicketSource::Import);
        QCOMPARE(ticket.form, TicketForm::SubjectBody);
        QVERIFY(ticket.dataset);
        QCOMPARE(ticket.dataset->language, u"en"_s);
        QVERIFY(!ticket.dataset->queue.isEmpty());
        QVERIFY(!ticket.body.contains(u"\\n"_s));
        QVERIFY(!ticket.category); // classification is the AI's job, not the importer's
    }
}

void TestTicketImporter::keepsQuotedAndLiteralNewlines()
{
    importFile(u"tickets-v4.csv"_s);
    importFile(u"tickets-v5-literal-newlines.csv"_s);
    TicketRepository tickets(m_temporary->database());
    TicketQuery vpn;
    vpn.search = u"VPN disconnects"_s;
    const TicketPage page = tickets.list(vpn);
    QCOMPARE(page.items.size(), 1);
    QCOMPARE(
        page.items.first().body,
        u"Our VPN disconnects every few minutes.\nRestarting the router, did not help, \"urgent\"."_s);
    QCOMPARE(page.items.first().dataset->priority, u"high"_s);

    TicketQuery refund;
    refund.search = u"order 7781"_s;
    const Ticket returned = tickets.list(refund).items.value(0);
    QCOMPARE(returned.body,
             u"Dear team,\n\nI returned order 7781 last week.\nWhen will I get my money back?"_s);
    QCOMPARE(returned.dataset->answer, u"Hello,\nthe refund is on its way."_s);
    QCOMPARE(returned.text(), u"Refund for returned order\n\n"_s + returned.body);

    TicketQuery emptySubject;
    emptySubject.search = u"charged twice"_s;
    QVERIFY(tickets.list(emptySubject).items.value(0).subject.isEmpty());
}

void TestTicketImporter::reimportingStoresNothingTwice()
{
    const TicketImporter::Summary first = importFile(u"tickets-v4.csv"_s);
    const TicketImporter::Summary second = importFile(u"tickets-v4.csv"_s);
    QCOMPARE(second.read, first.read);
    QCOMPARE(second.imported, 0);
    QCOMPARE(second.alreadyImported, first.imported);
    QCOMPARE(TicketRepository(m_temporary->database()).count(), first.imported);
}

void TestTicketImporter::reportsBrokenRowsAndKeepsTheRest()
{
    const TicketImporter::Summary summary = importFile(u"tickets-broken.csv"_s);
    QCOMPARE(summary.read, 5);
    QCOMPARE(summary.imported, 1);
    // A blank body in a language that was not asked for is not worth a rejection report.
    QCOMPARE(summary.otherLanguage, 1);
    QCOMPARE(summary.rejected.size(), 3);
    QCOMPARE(summary.rejected.at(0).line, 3);
    QVERIFY2(summary.rejected.at(0).reason.contains(u"fields"_s),
             qPrintable(summary.rejected.at(0).reason));
    QCOMPARE(summary.rejected.at(1).line, 4);
    QVERIFY2(summary.rejected.at(1).reason.contains(u"body"_s),
             qPrintable(summary.rejected.at(1).reason));
    QCOMPARE(summary.rejected.at(2).line, 6);
    QVERIFY2(summary.rejected.at(2).reason.contains(u"never closed"_s),
             qPrintable(summary.rejected.at(2).reason));
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 1);
}

void TestTicketImporter::limitStopsEarly()
{
    TicketImporter::Options options;
    options.limit = 2;
    const TicketImporter::Summary summary = importFile(u"tickets-v4.csv"_s, options);
    QCOMPARE(summary.imported, 2);
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 2);
}

void TestTicketImporter::allLanguages()
{
    TicketImporter::Options options;
    options.language.clear();
    QCOMPARE(importFile(u"tickets-v4.csv"_s, options).imported, 5);
    options.language = u"de"_s;
    const TicketImporter::Summary german = importFile(u"tickets-v4.csv"_s, options);
    QCOMPARE(german.imported, 0);
    QCOMPARE(german.alreadyImported, 1);
    QCOMPARE(german.otherLanguage, 4);
}

void TestTicketImporter::spreadsCreatedAtOverPastDays()
{
    TicketImporter::Options options;
    options.now = QDateTime(QDate(2026, 6, 30), QTime(12, 0), QTimeZone::utc());
    options.spreadDays = 30;
    importFile(u"tickets-v4.csv"_s, options);
    TicketRepository tickets(m_temporary->database());
    QSet<qint64> instants;
    for (const Ticket &ticket : tickets.list(TicketQuery{}).items) {
        QVERIFY(ticket.createdAt <= options.now);
        QVERIFY(ticket.createdAt > options.now.addDays(-30));
        instants.insert(Timestamps::toMs(ticket.createdAt));
    }
    QCOMPARE(instants.size(), 4);

    // The same rows land on the same instants in a second database.
    TemporaryDatabase other;
    QFile file(fixture(u"tickets-v4.csv"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    TicketImporter(other.database()).import(&file, options);
    QSet<qint64> otherInstants;
    for (const Ticket &ticket : TicketRepository(other.database()).list(TicketQuery{}).items)
        otherInstants.insert(Timestamps::toMs(ticket.createdAt));
    QCOMPARE(otherInstants, instants);
}

void TestTicketImporter::missingColumnsImportNothing()
{
    QBuffer buffer;
    buffer.setData("subject,body,language\nHello,World,en\n");
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    TicketImporter importer(m_temporary->database());
    try {
        importer.import(&buffer, {});
        QFAIL("an import without the dataset's columns must fail");
    } catch (const StorageError &error) {
        QVERIFY2(error.message().contains(u"queue"_s), qPrintable(error.message()));
        QVERIFY(error.message().contains(u"answer"_s));
    }
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 0);
}

void TestTicketImporter::readFailureRollsEverythingBack()
{
    QFile file(fixture(u"tickets-v4.csv"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    FailingDevice device(file.readAll());
    TicketImporter importer(m_temporary->database());
    QSignalSpy progress(&importer, &TicketImporter::progressed);
    QVERIFY_THROWS_EXCEPTION(StorageError, importer.import(&device, {}));
    QCOMPARE(TicketRepository(m_temporary->database()).count(), 0);
}

namespace {

const QByteArray kHeader =
    "subject,body,answer,type,queue,priority,language,tag_1,tag_2,tag_3,tag_4,tag_5,tag_6,tag_7,"
    "tag_8\n";

QByteArray row(const QByteArray &subject, const QByteArray &body)
{
    return subject + ',' + body + ",,Incident,Technical Support,high,en,,,,,,,,\n";
}

} // namespace

// The importer's own catalogue: a malformed row is reported by its line and skipped; a file that
// cannot be read as CSV text at all stores nothing.
void TestTicketImporter::hostileFiles_data()
{
    QTest::addColumn<QByteArray>("file");
    // -1: the import fails as a whole.
    QTest::addColumn<int>("imported");
    QTest::addColumn<QList<qint64>>("rejectedLines");
    // What the failure or the first rejection says.
    QTest::addColumn<QString>("reason");

    const QByteArray good = row("Printer", "It jams");
    QTest::newRow("unterminated quote in the middle")
        << kHeader + good + row("Broken", "\"never closed") + good << 1 << QList<qint64>{3}
        << u"never closed"_s;
    QTest::newRow("quote inside an unquoted field")
        << kHeader + row("Say \"hi\"", "Body") << 1 << QList<qint64>{} << QString();
    QTest::newRow("too few fields")
        << kHeader + "Only,two\n" + good << 1 << QList<qint64>{2} << u"fields"_s;
    QTest::newRow("too many fields") << kHeader + good.chopped(1) + ",extra,extra\n" + good << 1
                                     << QList<qint64>{2} << u"fields"_s;
    QTest::newRow("field of two million characters")
        << kHeader + row("Huge", QByteArray(2'000'000, 'x')) + good << 1 << QList<qint64>{2}
        << u"longer than"_s;
    QTest::newRow("body over the ticket limit")
        << kHeader + row("Long", QByteArray(20001, 'b')) + good << 1 << QList<qint64>{2}
        << u"body"_s;
    QTest::newRow("NUL escaped into a field by quoting")
        << kHeader + row("Ctrl", "\"a\x1b[2Jb\"") + good << 1 << QList<qint64>{2} << u"control"_s;
    QTest::newRow("blank body of zero-width spaces")
        << kHeader + row("Blank", "\xe2\x80\x8b\xe2\x80\x8b") + good << 1 << QList<qint64>{2}
        << u"blank"_s;
    QTest::newRow("markup is kept as text")
        << kHeader + row("<b>Bold</b>", "<script>alert(1)</script>") << 1 << QList<qint64>{}
        << QString();

    QTest::newRow("binary file") << QByteArray::fromHex("89504e470d0a1a0a0000000d49484452") +
                                        QByteArray(4000, '\0')
                                 << -1 << QList<qint64>{} << u"binary"_s;
    QTest::newRow("NUL after good rows")
        << kHeader + good + good + QByteArray("\0\0\0", 3) << -1 << QList<qint64>{} << u"binary"_s;
    QTest::newRow("Latin-1") << kHeader + row("Caf\xe9", "Cr\xe8"
                                                         "me br\xfb"
                                                         "l\xe9"
                                                         "e")
                             << -1 << QList<qint64>{} << u"UTF-8"_s;
    QTest::newRow("UTF-16") << QByteArray("\xff\xfes\0u\0b\0", 8) << -1 << QList<qint64>{}
                            << u"binary"_s;
    QTest::newRow("Windows-1252 after good rows")
        << kHeader + good + row("Price", "5 \x80") << -1 << QList<qint64>{} << u"UTF-8"_s;
    QTest::newRow("no header, only text")
        << QByteArray("just some words\n") << -1 << QList<qint64>{} << u"missing column"_s;
    QTest::newRow("empty") << QByteArray() << -1 << QList<qint64>{} << u"empty"_s;
}

void TestTicketImporter::hostileFiles()
{
    QFETCH(QByteArray, file);
    QFETCH(int, imported);
    QFETCH(QList<qint64>, rejectedLines);
    QFETCH(QString, reason);

    QBuffer buffer(&file);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    TicketImporter importer(m_temporary->database());
    TicketImporter::Options options;
    options.spreadDays = 0;
    if (imported < 0) {
        try {
            importer.import(&buffer, options);
            QFAIL("the file must not import");
        } catch (const StorageError &error) {
            QVERIFY2(error.message().contains(reason, Qt::CaseInsensitive),
                     qPrintable(error.message()));
        }
        QCOMPARE(TicketRepository(m_temporary->database()).count(), 0);
        return;
    }
    const TicketImporter::Summary summary = importer.import(&buffer, options);
    QList<qint64> lines;
    for (const TicketImporter::RejectedRow &rejected : summary.rejected)
        lines.append(rejected.line);
    QCOMPARE(lines, rejectedLines);
    if (!rejectedLines.isEmpty()) {
        QVERIFY2(summary.rejected.first().reason.contains(reason, Qt::CaseInsensitive),
                 qPrintable(summary.rejected.first().reason));
    }
    QCOMPARE(summary.imported, imported);
    QCOMPARE(TicketRepository(m_temporary->database()).count(), imported);
}

QTEST_GUILESS_MAIN(TestTicketImporter)
#include "tst_ticketimporter.moc"
