#include "llmprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray completion(const QString &content, const QString &finishReason = u"stop"_s)
{
    const QJsonObject response{
        {u"choices"_s,
         QJsonArray{QJsonObject{
             {u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, content}}},
             {u"finish_reason"_s, finishReason},
         }}},
    };
    return QJsonDocument(response).toJson(QJsonDocument::Compact);
}

const QString kValid =
    uR"({"category": "technical", "confidence": 0.8, "priority": "high", "summary": "The VPN drops every hour."})"_s;

} // namespace

class TestLlmProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestHasModelPromptAndJsonMode();
    void requestCutsVeryLongTickets();
    void validContentParses_data();
    void validContentParses();
    void invalidContentIsRejected_data();
    void invalidContentIsRejected();
    void invalidEnvelopeIsRejected_data();
    void invalidEnvelopeIsRejected();
    void serverErrorMessage_data();
    void serverErrorMessage();
    void singleSentence_data();
    void singleSentence();
};

void TestLlmProtocol::requestHasModelPromptAndJsonMode()
{
    const QByteArray body = LlmProtocol::buildRequest(u"llama3.1"_s, u"My <email> bounces."_s);
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QCOMPARE(json.value("model"_L1).toString(), u"llama3.1"_s);
    QCOMPARE(json.value("temperature"_L1).toDouble(-1), 0.0);
    QCOMPARE(json.value("response_format"_L1).toObject().value("type"_L1).toString(),
             u"json_object"_s);
    const QJsonArray messages = json.value("messages"_L1).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value("role"_L1).toString(), u"system"_s);
    QCOMPARE(messages.at(0).toObject().value("content"_L1).toString(), LlmProtocol::systemPrompt());
    QCOMPARE(messages.at(1).toObject().value("role"_L1).toString(), u"user"_s);
    QCOMPARE(messages.at(1).toObject().value("content"_L1).toString(), u"My <email> bounces."_s);
    // The prompt names every key and every category the parser insists on.
    for (const auto word : {"\"category\""_L1, "\"confidence\""_L1, "\"priority\""_L1,
                            "\"summary\""_L1, "technical"_L1, "billing"_L1, "general"_L1})
        QVERIFY2(LlmProtocol::systemPrompt().contains(word), qPrintable(QString(word)));
    QCOMPARE(LlmProtocol::kPromptVersion, "prompt-v1"_L1);
}

void TestLlmProtocol::requestCutsVeryLongTickets()
{
    const QString ticket(LlmProtocol::kMaxTicketLength + 500, u'x');
    const QJsonObject json =
        QJsonDocument::fromJson(LlmProtocol::buildRequest(u"m"_s, ticket)).object();
    const QString sent =
        json.value("messages"_L1).toArray().at(1).toObject().value("content"_L1).toString();
    QCOMPARE(sent.size(), LlmProtocol::kMaxTicketLength);
}

void TestLlmProtocol::validContentParses_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("category");
    QTest::addColumn<double>("confidence");
    QTest::addColumn<QString>("priority");
    QTest::addColumn<QString>("summary");

    QTest::newRow("plain") << kValid << u"technical"_s << 0.8 << u"high"_s
                           << u"The VPN drops every hour."_s;
    QTest::newRow("whitespace around") << u"\n  "_s + kValid + u"\n"_s << u"technical"_s << 0.8
                                       << u"high"_s << u"The VPN drops every hour."_s;
    QTest::newRow("json fence") << u"```json\n"_s + kValid + u"\n```"_s << u"technical"_s << 0.8
                                << u"high"_s << u"The VPN drops every hour."_s;
    QTest::newRow("bare fence") << u"```\n"_s + kValid + u"\n```"_s << u"technical"_s << 0.8
                                << u"high"_s << u"The VPN drops every hour."_s;
    QTest::newRow("upper-case names, integer confidence, extra key")
        << uR"({"category": "Billing", "confidence": 1, "priority": "LOW",
                "summary": "Refund for order <acc_num>.", "reasoning": "money"})"_s
        << u"billing"_s << 1.0 << u"low"_s << u"Refund for order <acc_num>."_s;
    QTest::newRow("zero confidence, abbreviation in summary")
        << uR"({"category": "general", "confidence": 0, "priority": "medium",
                "summary": "Asks Dr. Smith about the U.S. plans, e.g. Pro."})"_s
        << u"general"_s << 0.0 << u"medium"_s
        << u"Asks Dr. Smith about the U.S. plans, e.g. Pro."_s;
    QTest::newRow("summary trimmed")
        << uR"({"category": "general", "confidence": 0.5, "priority": "low",
                "summary": "  Wants a demo.  "})"_s
        << u"general"_s << 0.5 << u"low"_s << u"Wants a demo."_s;
}

void TestLlmProtocol::validContentParses()
{
    QFETCH(QString, content);
    QFETCH(QString, category);
    QFETCH(double, confidence);
    QFETCH(QString, priority);
    QFETCH(QString, summary);

    const auto parsed = LlmProtocol::parseResponse(completion(content));
    const auto *prediction = std::get_if<Prediction>(&parsed);
    QVERIFY2(prediction, prediction ? "" : qPrintable(std::get<QString>(parsed)));
    QCOMPARE(categoryName(prediction->category), category);
    QCOMPARE(prediction->confidence, confidence);
    QCOMPARE(priorityName(prediction->priority), priority);
    QCOMPARE(prediction->summary, summary);
}

void TestLlmProtocol::invalidContentIsRejected_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("errorMentions");

    const auto with = [](const char *key, const char *value) {
        QJsonObject object = QJsonDocument::fromJson(kValid.toUtf8()).object();
        if (value == nullptr)
            object.remove(QLatin1StringView(key));
        else
            object.insert(QLatin1StringView(key),
                          QJsonDocument::fromJson(QByteArray("[") + value + "]").array().at(0));
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    };

    QTest::newRow("empty") << QString() << u"JSON object"_s;
    QTest::newRow("prose") << u"The category is billing."_s << u"JSON object"_s;
    QTest::newRow("prose around json") << u"Sure! "_s + kValid << u"JSON object"_s;
    QTest::newRow("array") << u"[1, 2]"_s << u"JSON object"_s;
    QTest::newRow("fence of another language")
        << u"```python\n"_s + kValid + u"\n```"_s << u"JSON object"_s;
    QTest::newRow("category missing") << with("category", nullptr) << u"category"_s;
    QTest::newRow("category outside the set") << with("category", "\"sales\"") << u"category"_s;
    QTest::newRow("category not a string") << with("category", "1") << u"category"_s;
    QTest::newRow("confidence missing") << with("confidence", nullptr) << u"confidence"_s;
    QTest::newRow("confidence as string") << with("confidence", "\"0.8\"") << u"confidence"_s;
    QTest::newRow("confidence above 1") << with("confidence", "1.2") << u"confidence"_s;
    QTest::newRow("confidence below 0") << with("confidence", "-0.1") << u"confidence"_s;
    QTest::newRow("confidence as percent") << with("confidence", "85") << u"confidence"_s;
    QTest::newRow("priority missing") << with("priority", nullptr) << u"priority"_s;
    QTest::newRow("priority unknown") << with("priority", "\"urgent\"") << u"priority"_s;
    QTest::newRow("priority critical") << with("priority", "\"critical\"") << u"priority"_s;
    QTest::newRow("summary missing") << with("summary", nullptr) << u"summary"_s;
    QTest::newRow("summary blank") << with("summary", "\"   \"") << u"summary"_s;
    QTest::newRow("summary not a string") << with("summary", "[\"a\"]") << u"summary"_s;
    QTest::newRow("summary two sentences")
        << with("summary", "\"The VPN drops. It started today.\"") << u"single sentence"_s;
    QTest::newRow("summary two lines")
        << with("summary", "\"The VPN drops\\nsince today\"") << u"single sentence"_s;
    QTest::newRow("summary too long")
        << with("summary", QByteArray("\"" + QByteArray(201, 'a') + "\"").constData()) << u"200"_s;
}

void TestLlmProtocol::invalidContentIsRejected()
{
    QFETCH(QString, content);
    QFETCH(QString, errorMentions);

    const auto parsed = LlmProtocol::parseResponse(completion(content));
    QVERIFY(std::holds_alternative<QString>(parsed));
    QVERIFY2(std::get<QString>(parsed).contains(errorMentions),
             qPrintable(std::get<QString>(parsed)));
}

void TestLlmProtocol::invalidEnvelopeIsRejected_data()
{
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("html") << QByteArray("<html>Bad gateway</html>");
    QTest::newRow("truncated") << completion(kValid).chopped(10);
    QTest::newRow("no choices") << QByteArray(R"({"choices": []})");
    QTest::newRow("choices not an array") << QByteArray(R"({"choices": {}})");
    QTest::newRow("content null") << QByteArray(R"({"choices": [{"message": {"content": null}}]})");
    QTest::newRow("content is an object, not a string")
        << QByteArray(R"({"choices": [{"message": {"content": {"category": "billing"}}}]})");
    QTest::newRow("cut off at token limit") << completion(kValid, u"length"_s);
}

void TestLlmProtocol::invalidEnvelopeIsRejected()
{
    QFETCH(QByteArray, body);
    QVERIFY(std::holds_alternative<QString>(LlmProtocol::parseResponse(body)));
}

void TestLlmProtocol::serverErrorMessage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    QTest::newRow("openai") << QByteArray(
                                   R"({"error": {"message": "Model not found", "type": "x"}})")
                            << u"Model not found"_s;
    QTest::newRow("string") << QByteArray(R"({"error": "model is loading"})")
                            << u"model is loading"_s;
    QTest::newRow("whitespace collapsed")
        << QByteArray(R"({"error": {"message": "a\n  b"}})") << u"a b"_s;
    QTest::newRow("not json") << QByteArray("<html>502</html>") << QString();
    QTest::newRow("long is cut") << QByteArray(R"({"error": ")" + QByteArray(300, 'x') + R"("})")
                                 << QString(199, u'x') + u'…';
}

void TestLlmProtocol::serverErrorMessage()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QCOMPARE(LlmProtocol::errorMessage(body), message);
}

void TestLlmProtocol::singleSentence_data()
{
    QTest::addColumn<QString>("summary");
    QTest::addColumn<bool>("single");

    QTest::newRow("one") << u"The printer is offline."_s << true;
    QTest::newRow("no final stop") << u"The printer is offline"_s << true;
    QTest::newRow("question") << u"Can the plan be upgraded?"_s << true;
    QTest::newRow("version number") << u"App 2.4.1 crashes on start."_s << true;
    QTest::newRow("lower case after stop") << u"Price is 9.99 vs. the quoted 8.99."_s << true;
    QTest::newRow("initial") << u"J. Doe cannot log in."_s << true;
    QTest::newRow("two") << u"The printer is offline. Please help."_s << false;
    QTest::newRow("exclamation then more") << u"Urgent! The site is down."_s << false;
    QTest::newRow("newline") << u"Line one\nline two"_s << false;
}

void TestLlmProtocol::singleSentence()
{
    QFETCH(QString, summary);
    QFETCH(bool, single);
    QCOMPARE(LlmProtocol::isSingleSentence(summary), single);
}

QTEST_GUILESS_MAIN(TestLlmProtocol)
#include "tst_llmprotocol.moc"
