#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestJsonWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void strings_data();
    void strings();
    void nestedStructures();
    void numbers_data();
    void numbers();
};

void TestJsonWriter::strings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("plain") << u"hello"_s << QByteArray(R"(["hello"])");
    QTest::newRow("empty") << QString() << QByteArray(R"([""])");
    QTest::newRow("quote and backslash")
        << u"say \"hi\" C:\\temp"_s << QByteArray(R"(["say \"hi\" C:\\temp"])");
    QTest::newRow("newline, tab, cr") << u"a\nb\tc\rd"_s << QByteArray(R"(["a\nb\tc\rd"])");
    QTest::newRow("other control characters")
        << QString(QChar(0x01)) + u"x"_s + QChar(0x1f) << QByteArray(R"(["\u0001x\u001f"])");
    QTest::newRow("non-ascii passes as utf-8") << u"Grüße 👋"_s << (u"[\"Grüße 👋\"]"_s).toUtf8();
    QTest::newRow("markup is just text") << u"<b>&amp;</b>"_s << QByteArray(R"(["<b>&amp;</b>"])");
}

void TestJsonWriter::strings()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);
    JsonWriter writer;
    writer.beginArray();
    writer.value(text);
    writer.endArray();
    const QByteArray written = writer.take();
    QCOMPARE(written, json);
    // And any JSON parser reads back the original text.
    QCOMPARE(QJsonDocument::fromJson(written).array().at(0).toString(), text);
}

void TestJsonWriter::nestedStructures()
{
    JsonWriter writer;
    writer.beginObject();
    writer.key(QLatin1String("items"));
    writer.beginArray();
    for (qint64 id : {1, 2}) {
        writer.beginObject();
        writer.key(QLatin1String("id"));
        writer.value(id);
        writer.key(QLatin1String("tags"));
        writer.beginArray();
        writer.endArray();
        writer.endObject();
    }
    writer.endArray();
    writer.key(QLatin1String("next"));
    writer.null();
    writer.key(QLatin1String("name"));
    writer.value(QLatin1String("x"));
    writer.endObject();
    QCOMPARE(
        writer.take(),
        QByteArray(R"({"items":[{"id":1,"tags":[]},{"id":2,"tags":[]}],"next":null,"name":"x"})"));
}

void TestJsonWriter::numbers_data()
{
    QTest::addColumn<double>("number");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("shortest round trip") << 0.91 << QByteArray("[0.91]");
    QTest::newRow("whole") << 1.0 << QByteArray("[1]");
    QTest::newRow("zero") << 0.0 << QByteArray("[0]");
    QTest::newRow("not a number") << qQNaN() << QByteArray("[null]");
    QTest::newRow("infinity") << qInf() << QByteArray("[null]");
}

void TestJsonWriter::numbers()
{
    QFETCH(double, number);
    QFETCH(QByteArray, json);
    JsonWriter writer;
    writer.beginArray();
    writer.value(number);
    writer.endArray();
    QCOMPARE(writer.take(), json);
}

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
