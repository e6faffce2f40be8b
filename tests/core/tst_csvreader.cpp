#include "csvreader.h"

#include <QBuffer>
#include <QTest>

using namespace Qt::StringLiterals;

using Rows = QList<QStringList>;
using Lines = QList<qint64>;

namespace {

constexpr qsizetype kReaderChunkSize = 64 * 1024;

struct ReadResult
{
    Rows rows;
    Lines firstLines;
    QStringList errors;
};

ReadResult readAll(QIODevice *device)
{
    ReadResult result;
    CsvReader reader(device);
    CsvReader::Record record;
    while (reader.readRecord(&record)) {
        result.rows.append(record.fields);
        result.firstLines.append(record.firstLine);
        result.errors.append(record.error);
        // A reader that never reports the end would hang the test instead of failing it.
        if (result.rows.size() > 100000)
            break;
    }
    return result;
}

ReadResult readAll(const QByteArray &input)
{
    QBuffer buffer;
    buffer.setData(input);
    if (!buffer.open(QIODevice::ReadOnly))
        qFatal("cannot open a QBuffer");
    return readAll(&buffer);
}

// Hands out at most a few bytes per read, as a pipe or a network reply may: every read
// boundary can then fall inside a multibyte character or between CR and LF.
class TricklingDevice final : public QIODevice
{
public:
    TricklingDevice(const QByteArray &data, qint64 bytesPerRead)
        : m_data(data)
        , m_bytesPerRead(bytesPerRead)
    {}

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_data.size() - m_position + QIODevice::bytesAvailable();
    }
    bool atEnd() const override { return bytesAvailable() == 0; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 count = std::min({maxSize, m_bytesPerRead, m_data.size() - m_position});
        std::copy_n(m_data.constData() + m_position, count, data);
        m_position += count;
        return count;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_bytesPerRead;
    qint64 m_position = 0;
};

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void records_data();
    void records();
    void trailingNewlineMakesNoExtraRecord();
    void unterminatedQuotedFieldAtEof();
    void unterminatedQuotedFieldAfterGoodRecords();
    void emptyInput_data();
    void emptyInput();
    void multibyteAcrossChunkBoundary_data();
    void multibyteAcrossChunkBoundary();
    void manyChunksKeepEveryRecord();
    void smallReadsFromSequentialDevice_data();
    void smallReadsFromSequentialDevice();
    void truncatedMultibyteAtEof();
};

void TestCsvReader::records_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Rows>("rows");
    QTest::addColumn<Lines>("firstLines");

    QTest::newRow("plain") << "a,b,c\n1,2,3\n"_ba
                           << Rows{{u"a"_s, u"b"_s, u"c"_s}, {u"1"_s, u"2"_s, u"3"_s}}
                           << Lines{1, 2};
    QTest::newRow("quoted comma") << "\"a,b\",c\n"_ba << Rows{{u"a,b"_s, u"c"_s}} << Lines{1};
    QTest::newRow("quoted comma last")
        << "x,\"1,000\"\n"_ba << Rows{{u"x"_s, u"1,000"_s}} << Lines{1};
    QTest::newRow("embedded newline")
        << "\"line one\nline two\",x\nnext,y\n"_ba
        << Rows{{u"line one\nline two"_s, u"x"_s}, {u"next"_s, u"y"_s}} << Lines{1, 3};
    QTest::newRow("several embedded newlines")
        << "a,\"1\n2\n\n3\"\nb,c\nd,e\n"_ba
        << Rows{{u"a"_s, u"1\n2\n\n3"_s}, {u"b"_s, u"c"_s}, {u"d"_s, u"e"_s}} << Lines{1, 5, 6};
    QTest::newRow("doubled quotes")
        << "\"say \"\"hi\"\"\",b\n"_ba << Rows{{u"say \"hi\""_s, u"b"_s}} << Lines{1};
    QTest::newRow("only a doubled quote") << "\"\"\"\"\n"_ba << Rows{{u"\""_s}} << Lines{1};
    QTest::newRow("empty quoted field")
        << "a,\"\",b\n"_ba << Rows{{u"a"_s, QString(), u"b"_s}} << Lines{1};
    QTest::newRow("empty fields") << ",,\na,,b\n"_ba
                                  << Rows{{QString(), QString(), QString()},
                                          {u"a"_s, QString(), u"b"_s}}
                                  << Lines{1, 2};
    QTest::newRow("empty last field")
        << "a,\nb,\n"_ba << Rows{{u"a"_s, QString()}, {u"b"_s, QString()}} << Lines{1, 2};
    QTest::newRow("blank line is one empty field")
        << "a\n\nb\n"_ba << Rows{{u"a"_s}, {QString()}, {u"b"_s}} << Lines{1, 2, 3};
    QTest::newRow("no trailing newline")
        << "a,b\nc,d"_ba << Rows{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}} << Lines{1, 2};
    QTest::newRow("quoted last field without newline")
        << "a,\"b\nc\""_ba << Rows{{u"a"_s, u"b\nc"_s}} << Lines{1};
    QTest::newRow("crlf") << "a,b\r\nc,d\r\n"_ba << Rows{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}}
                          << Lines{1, 2};
    QTest::newRow("crlf after quoted field")
        << "\"a\",\"b\"\r\n\"c\",d\r\n"_ba << Rows{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}}
        << Lines{1, 2};
    QTest::newRow("crlf after empty field")
        << "a,\r\nb,\r\n"_ba << Rows{{u"a"_s, QString()}, {u"b"_s, QString()}} << Lines{1, 2};
    QTest::newRow("crlf without final line break")
        << "a,b\r\nc,d"_ba << Rows{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}} << Lines{1, 2};
    // Inside quotes a CR is data, even right before the closing quote.
    QTest::newRow("crlf inside quotes kept")
        << "\"x\r\ny\",z\r\nn,m\r\n"_ba << Rows{{u"x\r\ny"_s, u"z"_s}, {u"n"_s, u"m"_s}}
        << Lines{1, 3};
    QTest::newRow("quoted cr before lf line end")
        << "a,\"b\r\"\nc\n"_ba << Rows{{u"a"_s, u"b\r"_s}, {u"c"_s}} << Lines{1, 2};
    QTest::newRow("quoted cr before crlf line end")
        << "a,\"b\r\"\r\nc\r\n"_ba << Rows{{u"a"_s, u"b\r"_s}, {u"c"_s}} << Lines{1, 2};
    QTest::newRow("quoted cr at eof") << "a,\"b\r\""_ba << Rows{{u"a"_s, u"b\r"_s}} << Lines{1};
    QTest::newRow("utf-8 bom") << "\xEF\xBB\xBFsubject,body\nS,B\n"_ba
                               << Rows{{u"subject"_s, u"body"_s}, {u"S"_s, u"B"_s}} << Lines{1, 2};
    QTest::newRow("utf-8 bom before quote")
        << "\xEF\xBB\xBF\"subject\",body\n"_ba << Rows{{u"subject"_s, u"body"_s}} << Lines{1};
    QTest::newRow("non-ascii") << "caf\xC3\xA9,\xE2\x82\xAC"
                                  "5,\xF0\x9F\x98\x80\n"_ba
                               << Rows{{u"café"_s, u"€5"_s, u"😀"_s}} << Lines{1};
    QTest::newRow("spaces are data") << " a , b \n"_ba << Rows{{u" a "_s, u" b "_s}} << Lines{1};
    // Lenient like spreadsheets: text after a closing quote is kept rather than rejected.
    QTest::newRow("text after closing quote")
        << "\"ab\"cd,e\n"_ba << Rows{{u"abcd"_s, u"e"_s}} << Lines{1};
    QTest::newRow("quote inside unquoted field")
        << "5\" disk,x\n"_ba << Rows{{u"5\" disk"_s, u"x"_s}} << Lines{1};
}

void TestCsvReader::records()
{
    QFETCH(QByteArray, input);
    QFETCH(Rows, rows);
    QFETCH(Lines, firstLines);

    const ReadResult result = readAll(input);
    QCOMPARE(result.rows, rows);
    QCOMPARE(result.firstLines, firstLines);
    QCOMPARE(result.errors, QStringList(rows.size(), QString()));
}

void TestCsvReader::trailingNewlineMakesNoExtraRecord()
{
    const ReadResult with = readAll("h1,h2\nv1,v2\n"_ba);
    const ReadResult without = readAll("h1,h2\nv1,v2"_ba);
    QCOMPARE(with.rows.size(), 2);
    QCOMPARE(with.rows, without.rows);
}

void TestCsvReader::unterminatedQuotedFieldAtEof()
{
    QBuffer buffer;
    buffer.setData("a,\"never closed, spans\nlines"_ba);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);

    CsvReader::Record record;
    QVERIFY(reader.readRecord(&record));
    QVERIFY(!record.error.isEmpty());
    QVERIFY2(record.error.contains(u"line 1"_s), qPrintable(record.error));
    QCOMPARE(record.firstLine, qint64(1));
    QVERIFY(!reader.readRecord(&record));
    QVERIFY(reader.deviceError().isEmpty());
}

void TestCsvReader::unterminatedQuotedFieldAfterGoodRecords()
{
    const ReadResult result = readAll("h1,h2\r\nok,\"fine\"\r\nbad,\"open\r\nstill open\r\n"_ba);
    QCOMPARE(result.rows.size(), 3);
    QCOMPARE(result.rows.at(1), (QStringList{u"ok"_s, u"fine"_s}));
    QCOMPARE(result.errors.at(0), QString());
    QCOMPARE(result.errors.at(1), QString());
    QVERIFY(!result.errors.at(2).isEmpty());
    QVERIFY2(result.errors.at(2).contains(u"line 3"_s), qPrintable(result.errors.at(2)));
    QCOMPARE(result.firstLines.at(2), qint64(3));
}

void TestCsvReader::emptyInput_data()
{
    QTest::addColumn<QByteArray>("input");

    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("only a bom") << "\xEF\xBB\xBF"_ba;
}

void TestCsvReader::emptyInput()
{
    QFETCH(QByteArray, input);

    QBuffer buffer;
    buffer.setData(input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);
    CsvReader::Record record;
    QVERIFY(!reader.readRecord(&record));
    QVERIFY(record.fields.isEmpty());
    // Asking again after the end must keep saying so.
    QVERIFY(!reader.readRecord(&record));
}

void TestCsvReader::multibyteAcrossChunkBoundary_data()
{
    QTest::addColumn<QByteArray>("character");
    QTest::addColumn<int>("bytesBeforeBoundary");
    QTest::addColumn<bool>("quoted");

    const struct
    {
        const char *name;
        QByteArray utf8;
    } characters[] = {
        {"e-acute", "\xC3\xA9"_ba},
        {"euro", "\xE2\x82\xAC"_ba},
        {"emoji", "\xF0\x9F\x98\x80"_ba},
    };
    for (const auto &character : characters) {
        for (int before = 1; before < character.utf8.size(); ++before) {
            for (bool quoted : {false, true}) {
                QTest::addRow("%s %d|%d%s", character.name, before,
                              int(character.utf8.size()) - before, quoted ? " quoted" : "")
                    << character.utf8 << before << quoted;
            }
        }
    }
}

void TestCsvReader::multibyteAcrossChunkBoundary()
{
    QFETCH(QByteArray, character);
    QFETCH(int, bytesBeforeBoundary);
    QFETCH(bool, quoted);

    const QByteArray quote = quoted ? "\""_ba : QByteArray();
    const qsizetype padding = kReaderChunkSize - bytesBeforeBoundary - quote.size();
    const QByteArray input = quote + QByteArray(padding, 'x') + character + quote + ",tail\n"_ba;
    QCOMPARE(input.indexOf(character), kReaderChunkSize - bytesBeforeBoundary);
    QVERIFY(input.size() > kReaderChunkSize);

    const ReadResult result = readAll(input);
    QCOMPARE(result.rows.size(), 1);
    QCOMPARE(result.rows.at(0).size(), 2);
    const QString expected = QString(padding, u'x') + QString::fromUtf8(character);
    QCOMPARE(result.rows.at(0).at(0), expected);
    QVERIFY(!result.rows.at(0).at(0).contains(QChar::ReplacementCharacter));
    QCOMPARE(result.rows.at(0).at(1), u"tail"_s);
}

void TestCsvReader::manyChunksKeepEveryRecord()
{
    // Records straddle chunk boundaries at shifting offsets; none may be lost or split.
    QByteArray input;
    QList<QStringList> expected;
    for (int i = 0; input.size() < 5 * kReaderChunkSize; ++i) {
        const QString body = u"Grüße Nr. %1, \"zitiert\"\nzweite Zeile 😀"_s.arg(i);
        QString escaped = body;
        escaped.replace(u"\""_s, u"\"\""_s);
        input += QByteArray::number(i) + ",\"" + escaped.toUtf8() + "\"\r\n";
        expected.append({QString::number(i), body});
    }

    const ReadResult result = readAll(input);
    QCOMPARE(result.rows.size(), expected.size());
    QCOMPARE(result.rows, expected);
    // Each record spans two physical lines.
    QCOMPARE(result.firstLines.last(), 2 * (expected.size() - 1) + 1);
}

void TestCsvReader::smallReadsFromSequentialDevice_data()
{
    QTest::addColumn<qint64>("bytesPerRead");

    QTest::newRow("1 byte") << qint64(1);
    QTest::newRow("2 bytes") << qint64(2);
    QTest::newRow("3 bytes") << qint64(3);
    QTest::newRow("7 bytes") << qint64(7);
}

void TestCsvReader::smallReadsFromSequentialDevice()
{
    QFETCH(qint64, bytesPerRead);

    const QByteArray input = "\xEF\xBB\xBFqueue,body\r\n\xC3\x9C"
                             "ber,\"caf\xC3\xA9\r\n\xE2\x82\xAC \xF0\x9F\x98\x80\"\r\n"_ba;
    TricklingDevice device(input, bytesPerRead);
    QVERIFY(device.open(QIODevice::ReadOnly | QIODevice::Unbuffered));

    const ReadResult result = readAll(&device);
    QCOMPARE(result.rows, (Rows{{u"queue"_s, u"body"_s}, {u"Über"_s, u"café\r\n€ 😀"_s}}));
    QCOMPARE(result.firstLines, (Lines{1, 2}));
}

void TestCsvReader::truncatedMultibyteAtEof()
{
    // The last chunk holds only the first bytes of a character; nothing decodes from it.
    const QByteArray input = QByteArray(kReaderChunkSize, 'x') + "\xE2\x82"_ba;

    const ReadResult result = readAll(input);
    QCOMPARE(result.rows.size(), 1);
    QCOMPARE(result.rows.at(0).size(), 1);
    const QString field = result.rows.at(0).at(0);
    QVERIFY(field.startsWith(QString(kReaderChunkSize, u'x')));
    // At most a replacement character may stand for the broken tail; never invented data.
    QVERIFY2(field.size() <= kReaderChunkSize + 1, qPrintable(QString::number(field.size())));
    QVERIFY(!field.contains(QChar(0)));
}

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
