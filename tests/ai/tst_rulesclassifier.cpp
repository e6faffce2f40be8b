#include "rulesclassifier.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct LabelledTicket
{
    QString text;
    Category category;
};

// Tickets written for this test before the lexicon was tuned, in the voices customers use:
// at least ten per category, several of them deliberately mixed ("refund" for a broken
// laptop is billing; invoices that cannot be generated because a server is down is technical).
QList<LabelledTicket> labelledTickets()
{
    return {
        // technical
        {u"Our web server has been down since 3 am and customers get a 502 page."_s,
         Category::Technical},
        {u"Server down, invoices can't be generated for anyone on the team."_s,
         Category::Technical},
        {u"The mobile app crashes every time I open the settings screen on Android 14."_s,
         Category::Technical},
        {u"I cannot log in to the dashboard: it says my password is invalid even after a "
         u"reset."_s,
         Category::Technical},
        {u"VPN connection drops every few minutes when working from home."_s, Category::Technical},
        {u"After the latest firmware update the printer no longer connects to the network."_s,
         Category::Technical},
        {u"We get a timeout error from your API when uploading files larger than 10 MB."_s,
         Category::Technical},
        {u"The database sync between our two offices failed overnight and the logs show an "
         u"exception."_s,
         Category::Technical},
        {u"My laptop shows a blue screen and won't boot since yesterday."_s, Category::Technical},
        {u"Is there scheduled maintenance tonight? The portal is unavailable for all users."_s,
         Category::Technical},
        {u"The installation of the desktop client stops at 80% with error code 0x80070005."_s,
         Category::Technical},
        // billing
        {u"I would like a refund for a broken laptop I received last week."_s, Category::Billing},
        {u"I was charged twice for my March subscription, please fix it."_s, Category::Billing},
        {u"The invoice I received lists the wrong VAT number for our company."_s,
         Category::Billing},
        {u"My credit card payment was declined although the card is valid."_s, Category::Billing},
        {u"Please cancel my subscription and confirm there will be no further charges."_s,
         Category::Billing},
        {u"How do I return the headphones and get my money back?"_s, Category::Billing},
        {u"I paid by bank transfer two weeks ago but my account still shows an overdue "
         u"balance."_s,
         Category::Billing},
        {u"Could you send me a receipt for order 4471? Our accounting needs it."_s,
         Category::Billing},
        {u"I'd like to exchange the jacket for a larger size."_s, Category::Billing},
        {u"There is a late fee on my bill that I do not understand."_s, Category::Billing},
        {u"The refund for my returned monitor has not reached my PayPal account yet."_s,
         Category::Billing},
        // general
        {u"Do you offer a demo of the enterprise plan for a team of 40?"_s, Category::General},
        {u"What are your opening hours during the holidays?"_s, Category::General},
        {u"I am interested in becoming a reseller of your products in Austria."_s,
         Category::General},
        {u"When will my order be shipped? The tracking number does not show anything."_s,
         Category::General},
        {u"Could you recommend which model fits a small photo studio?"_s, Category::General},
        {u"I would like to apply for the job posted on your website; where do I send my "
         u"resume?"_s,
         Category::General},
        {u"Who in HR should I contact about my parental leave?"_s, Category::General},
        {u"I want to make a complaint about the rude staff member at your Berlin store."_s,
         Category::General},
        {u"Do you have the 65 inch model in stock, and what accessories come with it?"_s,
         Category::General},
        {u"Just some feedback: your new catalog looks great."_s, Category::General},
        {u"Can you send me more information about your products for schools?"_s, Category::General},
    };
}

} // namespace

class TestRulesClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void category_data();
    void category();
    void accuracyOverOwnTable();
    void priority_data();
    void priority();
    void confidenceIsAProbability_data();
    void confidenceIsAProbability();
    void strongerEvidenceGivesHigherConfidence();
    void noEvidenceIsUncertainGeneral_data();
    void noEvidenceIsUncertainGeneral();
    void tieBetweenTechnicalAndBillingIsGeneral();
    void caseInsensitive();
    void wordBoundaries();
    void phraseWinsOverItsWords();
    void apostrophesAndPlurals();
    void summaryLeftEmpty();
    void modelName();
    void priorClaimsChanceForNothingAndNeverMoreThanItsCeiling();
    void fittedCalibrationReplacesThePrior();
};

void TestRulesClassifier::category_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Category>("expected");

    // The clear-cut rows must all be right; the accuracy test covers the whole table.
    QTest::newRow("server down, invoices")
        << u"Server down, invoices can't be generated."_s << Category::Technical;
    QTest::newRow("refund broken laptop")
        << u"I want a refund for a broken laptop."_s << Category::Billing;
    QTest::newRow("app crash") << u"The app crashes on start with an error message."_s
                               << Category::Technical;
    QTest::newRow("outage") << u"Major outage: nobody can reach the portal."_s
                            << Category::Technical;
    QTest::newRow("charged twice")
        << u"You charged my card twice this month."_s << Category::Billing;
    QTest::newRow("invoice copy") << u"Please send a copy of invoice 2024-118."_s
                                  << Category::Billing;
    QTest::newRow("return label") << u"Where do I get a return label for the shoes?"_s
                                  << Category::Billing;
    QTest::newRow("demo request") << u"We would like a demo and a quote for 50 seats."_s
                                  << Category::General;
    QTest::newRow("hr question") << u"Question for HR about vacation days."_s << Category::General;
    QTest::newRow("shipping") << u"When will my package be shipped?"_s << Category::General;
}

void TestRulesClassifier::category()
{
    QFETCH(QString, text);
    QFETCH(Category, expected);
    const Prediction prediction = RulesClassifier().predict(text);
    QCOMPARE(categoryName(prediction.category), categoryName(expected));
}

void TestRulesClassifier::accuracyOverOwnTable()
{
    const QList<LabelledTicket> tickets = labelledTickets();
    std::array<int, 3> perCategory{};
    for (const LabelledTicket &ticket : tickets)
        ++perCategory[std::size_t(ticket.category)];
    for (const int n : perCategory)
        QVERIFY2(n >= 8, "at least eight rows per category");

    const RulesClassifier classifier;
    int right = 0;
    for (const LabelledTicket &ticket : tickets) {
        const Prediction prediction = classifier.predict(ticket.text);
        if (prediction.category == ticket.category)
            ++right;
        else
            qInfo("wrong: %s -> %s (expected %s)", qUtf8Printable(ticket.text),
                  categoryName(prediction.category).data(), categoryName(ticket.category).data());
    }
    const double accuracy = double(right) / double(tickets.size());
    qInfo("rules accuracy over the test's own table: %d/%d = %.2f", right, int(tickets.size()),
          accuracy);
    QVERIFY2(accuracy >= 0.80, qPrintable(u"accuracy %1"_s.arg(accuracy)));
}

void TestRulesClassifier::priority_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Priority>("expected");

    QTest::newRow("urgent") << u"URGENT: the checkout page returns an error."_s << Priority::High;
    QTest::newRow("immediately") << u"Please fix the VPN immediately, we cannot work."_s
                                 << Priority::High;
    QTest::newRow("outage") << u"Outage in the Frankfurt data center."_s << Priority::High;
    QTest::newRow("server is down") << u"The mail server is down."_s << Priority::High;
    QTest::newRow("critical") << u"Critical bug in the payroll export."_s << Priority::High;
    QTest::newRow("asap") << u"Need the corrected invoice asap."_s << Priority::High;
    QTest::newRow("as soon as possible")
        << u"Please call me back as soon as possible about the breach."_s << Priority::High;
    QTest::newRow("plain request") << u"The printer prints blank pages."_s << Priority::Medium;
    QTest::newRow("billing, no cue")
        << u"My invoice shows the wrong address."_s << Priority::Medium;
    QTest::newRow("when you have time")
        << u"When you have time, could you check my account settings?"_s << Priority::Low;
    QTest::newRow("question") << u"A question about the warranty of the blender."_s
                              << Priority::Low;
    QTest::newRow("information") << u"I would like some information about your courses."_s
                                 << Priority::Low;
    QTest::newRow("not urgent") << u"Not urgent, but the footer link is broken."_s << Priority::Low;
    QTest::newRow("no rush") << u"No rush: please update my billing address."_s << Priority::Low;
    QTest::newRow("empty") << QString() << Priority::Medium;
}

void TestRulesClassifier::priority()
{
    QFETCH(QString, text);
    QFETCH(Priority, expected);
    QCOMPARE(priorityName(RulesClassifier().predict(text).priority), priorityName(expected));
}

void TestRulesClassifier::confidenceIsAProbability_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("no evidence") << u"Lorem ipsum dolor sit amet."_s;
    QTest::newRow("one word") << u"refund"_s;
    QTest::newRow("mixed") << u"Refund for the server outage and a demo please."_s;
    QString many;
    for (int i = 0; i < 2000; ++i)
        many += u"refund invoice payment charged "_s;
    QTest::newRow("overwhelming evidence") << many;
    for (const LabelledTicket &ticket : labelledTickets())
        QTest::addRow("table %s", qUtf8Printable(ticket.text.left(30))) << ticket.text;
}

void TestRulesClassifier::confidenceIsAProbability()
{
    QFETCH(QString, text);
    const double confidence = RulesClassifier().predict(text).confidence;
    QVERIFY2(confidence >= 0.0 && confidence <= 1.0, qPrintable(QString::number(confidence)));
    QVERIFY(!std::isnan(confidence));
}

void TestRulesClassifier::strongerEvidenceGivesHigherConfidence()
{
    const RulesClassifier classifier;
    const Prediction weak = classifier.predict(u"I have a question about a payment."_s);
    const Prediction strong = classifier.predict(
        u"I was charged twice, the invoice is wrong and I want a refund of the payment."_s);
    QCOMPARE(weak.category, Category::Billing);
    QCOMPARE(strong.category, Category::Billing);
    QVERIFY2(strong.confidence > weak.confidence,
             qPrintable(u"%1 vs %2"_s.arg(strong.confidence).arg(weak.confidence)));

    // Evidence against the winner lowers the confidence.
    const Prediction contested =
        classifier.predict(u"I want a refund for the order, the laptop is broken."_s);
    const Prediction clean = classifier.predict(u"I want a refund for the order."_s);
    QCOMPARE(contested.category, Category::Billing);
    QCOMPARE(clean.category, Category::Billing);
    QVERIFY(clean.confidence > contested.confidence);
}

void TestRulesClassifier::noEvidenceIsUncertainGeneral_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"  \n\t "_s;
    QTest::newRow("punctuation") << u"?!... ---"_s;
    QTest::newRow("no lexicon word") << u"Lorem ipsum dolor sit amet."_s;
    QTest::newRow("other language") << u"Sehr geehrte Damen und Herren, mein Gerät geht nicht."_s;
}

void TestRulesClassifier::noEvidenceIsUncertainGeneral()
{
    QFETCH(QString, text);
    const Prediction prediction = RulesClassifier().predict(text);
    QCOMPARE(prediction.category, Category::General);
    QVERIFY2(prediction.confidence <= 0.5, qPrintable(QString::number(prediction.confidence)));
    // Near a third: no category is favoured by more than the small prior.
    QVERIFY(prediction.confidence > 0.30 && prediction.confidence < 0.40);
}

void TestRulesClassifier::tieBetweenTechnicalAndBillingIsGeneral()
{
    // "bug" (technical 2) against "paid" (billing 2).
    const Prediction prediction = RulesClassifier().predict(u"bug paid"_s);
    QCOMPARE(prediction.category, Category::General);
    QVERIFY(prediction.confidence < 1.0 / 3.0);
}

void TestRulesClassifier::caseInsensitive()
{
    const RulesClassifier classifier;
    const Prediction lower = classifier.predict(u"the server is down, urgent"_s);
    const Prediction upper = classifier.predict(u"THE SERVER IS DOWN, URGENT"_s);
    const Prediction mixed = classifier.predict(u"The SeRvEr Is DoWn, Urgent"_s);
    QCOMPARE(lower.category, Category::Technical);
    QCOMPARE(lower.priority, Priority::High);
    for (const Prediction &other : {upper, mixed}) {
        QCOMPARE(other.category, lower.category);
        QCOMPARE(other.priority, lower.priority);
        QCOMPARE(other.confidence, lower.confidence);
    }
}

void TestRulesClassifier::wordBoundaries()
{
    const RulesClassifier classifier;
    // "downloads" is not "down", "billboard" is not "bill", "errors" counts as "error".
    QCOMPARE(classifier.predict(u"downloads billboard"_s).category, Category::General);
    QCOMPARE(classifier.predict(u"downloads"_s).priority, Priority::Medium);
    QCOMPARE(classifier.predict(u"errors"_s).category, Category::Technical);
    // Punctuation and digits split words.
    QCOMPARE(classifier.predict(u"(invoice#2024)"_s).category, Category::Billing);
    QCOMPARE(classifier.predict(u"refund/exchange"_s).category, Category::Billing);
}

void TestRulesClassifier::phraseWinsOverItsWords()
{
    const RulesClassifier classifier;
    QCOMPARE(classifier.predict(u"This is not urgent."_s).priority, Priority::Low);
    QCOMPARE(classifier.predict(u"This is urgent."_s).priority, Priority::High);
    // "payroll" is HR, not a payment.
    QCOMPARE(classifier.predict(u"payroll"_s).category, Category::General);
    // A phrase split across punctuation is still its words ("wi-fi").
    QCOMPARE(classifier.predict(u"Wi-Fi keeps dropping"_s).category, Category::Technical);
}

void TestRulesClassifier::apostrophesAndPlurals()
{
    const RulesClassifier classifier;
    QCOMPARE(classifier.predict(u"It doesn't work"_s).category, Category::Technical);
    QCOMPARE(classifier.predict(u"It doesn\u2019t work"_s).category, Category::Technical);
    QCOMPARE(classifier.predict(u"routers"_s).category, Category::Technical);
    QCOMPARE(classifier.predict(u"Refunds"_s).category, Category::Billing);
}

void TestRulesClassifier::summaryLeftEmpty()
{
    QVERIFY(RulesClassifier().predict(u"The server is down."_s).summary.isEmpty());
}

void TestRulesClassifier::modelName()
{
    QCOMPARE(RulesClassifier().modelName(), u"rules-v1"_s);
    QCOMPARE(RulesClassifier().modelVersion(), u"1+prior"_s);
}

void TestRulesClassifier::priorClaimsChanceForNothingAndNeverMoreThanItsCeiling()
{
    QCOMPARE(RulesClassifier::priorConfidence(1.0 / 3.0), 1.0 / 3.0);
    QCOMPARE(RulesClassifier::priorConfidence(1.0), RulesClassifier::kPriorCeiling);
    QCOMPARE(RulesClassifier::priorConfidence(0.1), 0.1);
    // Monotone, so the confidence ranks answers exactly as the lexicon's probability does.
    double previous = 0.0;
    for (double p = 0.01; p <= 1.0; p += 0.01) {
        const double confidence = RulesClassifier::priorConfidence(p);
        QVERIFY(confidence > previous);
        QVERIFY(confidence <= p);
        previous = confidence;
    }
    // Even the strongest evidence the lexicon can give claims no more than the ceiling.
    const Prediction strong = RulesClassifier().predict(
        u"Refund the invoice: the payment was charged twice on my credit card, billing error"_s);
    QCOMPARE(strong.category, Category::Billing);
    QVERIFY(strong.confidence <= RulesClassifier::kPriorCeiling);
    QVERIFY(strong.confidence > 0.6);
}

void TestRulesClassifier::fittedCalibrationReplacesThePrior()
{
    const QString text = u"The VPN client crashes with an error"_s;
    const RulesClassifier prior;
    // A calibration that makes every answer a coin toss, whatever the lexicon says.
    const RulesClassifier fitted(RulesCalibration(), u"20261206-120000"_s);
    QVERIFY(fitted.isFitted());
    QCOMPARE(fitted.modelVersion(), u"1+cal-20261206-120000"_s);
    const Prediction before = prior.predict(text);
    const Prediction after = fitted.predict(text);
    QCOMPARE(after.category, before.category);
    QCOMPARE(after.priority, before.priority);
    QCOMPARE(after.confidence, 0.5);
    QCOMPARE(fitted.reading(text).evidence, prior.reading(text).evidence);
    QCOMPARE(fitted.reading(text).named, before.category);
}

QTEST_GUILESS_MAIN(TestRulesClassifier)
#include "tst_rulesclassifier.moc"
