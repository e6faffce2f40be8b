// The conversation under a ticket in the real window: reading the thread, writing a reply or a
// note with the keyboard, and what happens when it cannot be stored.
#include "classificationrepository.h"
#include "fakellmserver.h"
#include "mainwindow.h"
#include "messagerepository.h"
#include "runningserver.h"
#include "testaccount.h"
#include "ticketdetailwidget.h"
#include "ticketrepository.h"
#include "tickettablemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

class TestConversationPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void threadIsShownInOrderAsPlainText();
    void agentRepliesWithTheKeyboardAndSetsTheStatus();
    void internalNoteStaysWithTheTeam();
    void unsentReplyStaysWithItsTicket();
    void replyThatCannotBeStoredKeepsItsText();
    void customerAnswerArrivesWhileTheTicketIsShown();
    void localDraftComesFromTheMostAlikeAnsweredTicket();
    void nothingAnsweredIsAlikeSaysSo();
    void remoteDraftStreamsIntoTheEditor();
    void stoppingADraftKeepsWhatCame();
    void remoteFailureFallsBackToSimilarTickets();
    void localOnlyCategoryIsDraftedLocally();
    void localOnlySimilarTicketsAreNotSent();

private:
    qint64 addTicket(const QString &subject, const QString &body);
    void addMessage(qint64 ticketId, MessageAuthor author, const QString &body,
                    MessageVisibility visibility = MessageVisibility::Public);
    void showWindow();
    // Drafts with the fake remote model from now on.
    void useRemoteModel(const QSet<Category> &localOnly = {});
    void selectTicket(qint64 id);
    QPlainTextEdit *conversation() const
    {
        return m_window->findChild<QPlainTextEdit *>(u"conversationPlainTextEdit"_s);
    }
    QPlainTextEdit *editor() const
    {
        return m_window->findChild<QPlainTextEdit *>(u"replyPlainTextEdit"_s);
    }
    QComboBox *combo(const QString &name) const { return m_window->findChild<QComboBox *>(name); }
    QPushButton *sendButton() const
    {
        return m_window->findChild<QPushButton *>(u"sendReplyButton"_s);
    }

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<FakeLlmServer> m_llm;
    std::unique_ptr<ReplyDrafter> m_drafter;
    std::unique_ptr<MainWindow> m_window;
};

void TestConversationPane::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    m_tickets = std::make_unique<TicketRepository>(m_server->database());
    m_messages = std::make_unique<MessageRepository>(m_server->database());
}

void TestConversationPane::cleanup()
{
    m_window.reset();
    m_drafter.reset();
    m_llm.reset();
    m_messages.reset();
    m_tickets.reset();
    m_server.reset();
}

qint64 TestConversationPane::addTicket(const QString &subject, const QString &body)
{
    TicketDraft draft = TicketDraft::fromSubjectAndBody(subject, body, TicketSource::Api);
    draft.requester = u"dana@example.com"_s;
    return m_tickets->create(draft).id;
}

void TestConversationPane::addMessage(qint64 ticketId, MessageAuthor author, const QString &body,
                                      MessageVisibility visibility)
{
    TicketMessage message;
    message.ticketId = ticketId;
    message.author = author;
    message.authorName = author == MessageAuthor::Customer ? QString() : u"bob"_s;
    message.visibility = visibility;
    message.body = body;
    QVERIFY(m_messages->add(message, Actor::user(u"bob"_s)));
}

void TestConversationPane::showWindow()
{
    m_server->tickets().setChangePollInterval(100);
    m_window =
        std::make_unique<MainWindow>(m_server->tickets(), testAccount(Role::Agent, u"alice"_s));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestConversationPane::useRemoteModel(const QSet<Category> &localOnly)
{
    m_llm = std::make_unique<FakeLlmServer>();
    QVERIFY(m_llm->isListening());
    ClassificationOptions options;
    options.llm.baseUrl = m_llm->baseUrl();
    options.llm.model = u"draft-model"_s;
    options.llm.timeout = std::chrono::seconds(2);
    options.llm.maxAttempts = 1;
    options.localOnlyCategories = localOnly;
    m_drafter = std::make_unique<ReplyDrafter>(options);
    m_window->setDrafter(m_drafter.get());
}

void TestConversationPane::selectTicket(qint64 id)
{
    auto *table = m_window->findChild<QTableView *>(u"ticketTableView"_s);
    QTRY_VERIFY(m_window->ticketModel()->rowOfTicket(id) >= 0);
    table->setFocus();
    table->selectRow(m_window->ticketModel()->rowOfTicket(id));
    auto *detail = m_window->findChild<TicketDetailWidget *>();
    QTRY_COMPARE(detail->ticketId(), id);
}

void TestConversationPane::threadIsShownInOrderAsPlainText()
{
    const qint64 id = addTicket(u"Locked out"_s, u"The login page says <b>locked</b>."_s);
    addMessage(id, MessageAuthor::Agent, u"I unlocked it; please try again."_s);
    addMessage(id, MessageAuthor::Customer, u"Still locked 😞"_s);
    addMessage(id, MessageAuthor::Agent, u"SSO retries the old password."_s,
               MessageVisibility::Internal);
    showWindow();
    selectTicket(id);

    QTRY_VERIFY(conversation()->toPlainText().contains(u"SSO retries"_s));
    const QString text = conversation()->toPlainText();
    // The customer's opening text, with whom to answer, then every message in order.
    const QStringList expected{u"Customer (dana@example.com)"_s,
                               u"The login page says <b>locked</b>."_s,
                               u"bob"_s,
                               u"waiting for delivery"_s,
                               u"I unlocked it; please try again."_s,
                               u"Still locked 😞"_s,
                               u"Internal note by bob"_s,
                               u"SSO retries the old password."_s};
    qsizetype from = 0;
    for (const QString &part : expected) {
        const qsizetype at = text.indexOf(part, from);
        QVERIFY2(at >= 0, qPrintable(part + u" missing or out of order in: "_s + text));
        from = at + part.size();
    }
    // The newest message is in view.
    QCOMPARE(conversation()->textCursor().position(),
             conversation()->document()->characterCount() - 1);
}

void TestConversationPane::agentRepliesWithTheKeyboardAndSetsTheStatus()
{
    const qint64 id = addTicket(u"Printer"_s, u"It is on fire"_s);
    showWindow();
    selectTicket(id);
    QVERIFY(!sendButton()->isEnabled()); // nothing to send yet

    QTest::keyClick(m_window.get(), Qt::Key_R); // Ticket › Reply
    QTRY_VERIFY(editor()->hasFocus());
    QTest::keyClicks(editor(), u"Which model is it?"_s);
    QVERIFY(sendButton()->isEnabled());
    QComboBox *statusAfter = combo(u"statusAfterComboBox"_s);
    statusAfter->setCurrentIndex(statusAfter->findData(int(TicketStatus::Waiting)));
    QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);

    QTRY_COMPARE(m_messages->list(id).size(), 1);
    const TicketMessage stored = m_messages->list(id).constFirst();
    QCOMPARE(stored.body, u"Which model is it?"_s);
    QCOMPARE(stored.author, MessageAuthor::Agent);
    QCOMPARE(stored.authorName, u"alice"_s);
    QCOMPARE(stored.visibility, MessageVisibility::Public);
    QCOMPARE(stored.delivery, DeliveryStatus::Pending); // for the mail gateway to deliver
    QCOMPARE(m_tickets->find(id)->status, TicketStatus::Waiting);
    // The editor is ready for the next one, and the thread shows what was sent.
    QTRY_VERIFY(editor()->toPlainText().isEmpty());
    QCOMPARE(statusAfter->currentData(), QVariant());
    QTRY_VERIFY(conversation()->toPlainText().contains(u"Which model is it?"_s));
    auto *status =
        m_window->findChild<TicketDetailWidget *>()->findChild<QComboBox *>(u"statusComboBox"_s);
    QTRY_COMPARE(status->currentData().toInt(), int(TicketStatus::Waiting));
}

void TestConversationPane::internalNoteStaysWithTheTeam()
{
    const qint64 id = addTicket(u"Refund"_s, u"Charged twice"_s);
    showWindow();
    selectTicket(id);
    combo(u"replyKindComboBox"_s)->setCurrentIndex(1);
    QCOMPARE(sendButton()->text(), u"Add Note"_s);
    editor()->setPlainText(u"Finance confirms the double charge."_s);
    sendButton()->click();

    QTRY_COMPARE(m_messages->list(id).size(), 1);
    const TicketMessage stored = m_messages->list(id).constFirst();
    QCOMPARE(stored.visibility, MessageVisibility::Internal);
    QCOMPARE(stored.delivery, std::nullopt); // nobody delivers a note
    QCOMPARE(m_tickets->find(id)->status, TicketStatus::Open);
    QTRY_VERIFY(conversation()->toPlainText().contains(u"Internal note by alice"_s));
}

void TestConversationPane::unsentReplyStaysWithItsTicket()
{
    const qint64 first = addTicket(u"First"_s, u"one"_s);
    const qint64 second = addTicket(u"Second"_s, u"two"_s);
    showWindow();
    selectTicket(first);
    editor()->setPlainText(u"Half a reply to the first"_s);
    selectTicket(second);
    QTRY_COMPARE(editor()->toPlainText(), QString());
    QVERIFY(!sendButton()->isEnabled());
    selectTicket(first);
    QTRY_COMPARE(editor()->toPlainText(), u"Half a reply to the first"_s);
    QVERIFY(m_messages->list(first).isEmpty());
}

void TestConversationPane::replyThatCannotBeStoredKeepsItsText()
{
    const qint64 id = addTicket(u"Printer"_s, u"It is on fire"_s);
    showWindow();
    selectTicket(id);

    // Refused in the window, before anything is stored.
    editor()->setPlainText(u"Bell \u0007 character"_s);
    sendButton()->click();
    auto *notice = m_window->findChild<QLabel *>(u"noticeLabel"_s);
    QTRY_VERIFY(notice->isVisible());
    QVERIFY(notice->text().contains(u"control characters"_s));
    QVERIFY(m_messages->list(id).isEmpty());

    // Refused by the database: the text stays to send again.
    QSqlQuery breakIt(m_server->database().connection());
    QVERIFY(breakIt.exec(u"ALTER TABLE ticket_messages RENAME TO ticket_messages_gone"_s));
    breakIt.finish();
    editor()->setPlainText(u"This will not be stored"_s);
    sendButton()->click();
    QTRY_VERIFY(sendButton()->isEnabled());
    QCOMPARE(editor()->toPlainText(), u"This will not be stored"_s);
    QVERIFY(breakIt.exec(u"ALTER TABLE ticket_messages_gone RENAME TO ticket_messages"_s));
    breakIt.finish();
    QVERIFY(m_messages->list(id).isEmpty());
    QCOMPARE(m_tickets->find(id)->status, TicketStatus::Open);

    sendButton()->click();
    QTRY_COMPARE(m_messages->list(id).size(), 1);
    QTRY_VERIFY(editor()->toPlainText().isEmpty());
}

void TestConversationPane::customerAnswerArrivesWhileTheTicketIsShown()
{
    const qint64 id = addTicket(u"Printer"_s, u"It is on fire"_s);
    showWindow();
    selectTicket(id);
    editor()->setPlainText(u"Typing my answer"_s);
    // The mail gateway relays the customer's answer through the API.
    const HttpClient::Response relayed = m_server->client().postJson(
        u"/requests/%1/messages"_s.arg(id), R"({"author": "customer", "body": "Fixed itself!"})");
    QCOMPARE(relayed.status, 201);
    QTRY_VERIFY(conversation()->toPlainText().contains(u"Fixed itself!"_s));
    QCOMPARE(editor()->toPlainText(), u"Typing my answer"_s); // what the agent typed stays
}

void TestConversationPane::localDraftComesFromTheMostAlikeAnsweredTicket()
{
    const qint64 answered = addTicket(u"VPN drops"_s, u"The VPN client disconnects every five "
                                                      "minutes since the update."_s);
    addMessage(answered, MessageAuthor::Agent, u"Install client 4.2; it fixes the drops."_s);
    const qint64 other = addTicket(u"VPN slow"_s, u"The VPN client is slow."_s);
    addMessage(other, MessageAuthor::Agent, u"Try another server."_s);
    const qint64 id = addTicket(u"VPN"_s, u"Our VPN client disconnects every few minutes "
                                          "since the last update."_s);
    showWindow();
    selectTicket(id);
    QTest::keyClicks(editor(), u"My own start"_s);

    QTest::keyClick(m_window.get(), Qt::Key_D); // Ticket › Draft Reply
    QTRY_COMPARE(editor()->toPlainText(), u"Install client 4.2; it fixes the drops."_s);
    QComboBox *sources = combo(u"draftSuggestionComboBox"_s);
    QVERIFY(sources->isVisible());
    QCOMPARE(sources->count(), 2);
    QVERIFY2(sources->itemText(0).startsWith(u"#%1 · "_s.arg(answered)),
             qPrintable(sources->itemText(0)));
    QVERIFY(sources->itemText(0).contains(u"% alike"_s));
    // The agent's own text is one undo away.
    editor()->undo();
    QCOMPARE(editor()->toPlainText(), u"My own start"_s);
    editor()->redo();
    QCOMPARE(editor()->toPlainText(), u"Install client 4.2; it fixes the drops."_s);

    // Nothing is sent until the agent sends it.
    QVERIFY(m_messages->list(id).isEmpty());
    QTest::keyClicks(editor(), u" Thanks!"_s);
    QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(m_messages->list(id).size(), 1);
    const TicketMessage sent = m_messages->list(id).constFirst();
    QCOMPARE(sent.body, u"Install client 4.2; it fixes the drops. Thanks!"_s);
    QVERIFY(sent.draft);
    QCOMPARE(sent.draft->provider, u"local"_s);
    QCOMPARE(sent.draft->model, u"similar-tickets"_s);
    QCOMPARE(sent.draft->edits, 8);
    QTRY_VERIFY(!sources->isVisible());

    // A reply written by hand records no draft.
    editor()->setPlainText(u"One more thing."_s);
    sendButton()->click();
    QTRY_COMPARE(m_messages->list(id).size(), 2);
    QCOMPARE(m_messages->list(id).at(1).draft, std::nullopt);
}

void TestConversationPane::nothingAnsweredIsAlikeSaysSo()
{
    const qint64 id = addTicket(u"Printer"_s, u"It is on fire"_s);
    showWindow();
    selectTicket(id);
    m_window->findChild<QPushButton *>(u"draftReplyButton"_s)->click();
    auto *notice = m_window->findChild<QLabel *>(u"noticeLabel"_s);
    QTRY_VERIFY(notice->isVisible());
    QVERIFY(notice->text().contains(u"nothing to draft from"_s));
    QVERIFY(editor()->toPlainText().isEmpty());
}

void TestConversationPane::remoteDraftStreamsIntoTheEditor()
{
    const qint64 answered = addTicket(u"VPN drops"_s, u"The VPN client disconnects."_s);
    addMessage(answered, MessageAuthor::Agent, u"Install client 4.2."_s);
    const qint64 id =
        addTicket(u"VPN"_s, u"My VPN client disconnects; write to dana@example.com please."_s);
    addMessage(id, MessageAuthor::Customer, u"Still broken today."_s);
    addMessage(id, MessageAuthor::Agent, u"Secret internal remark"_s, MessageVisibility::Internal);
    showWindow();
    useRemoteModel();
    m_llm->enqueue(FakeLlmServer::Behaviour::stream(
        {u"Hello,"_s, u" please install"_s, u" client 4.2."_s}, std::chrono::milliseconds(200)));
    selectTicket(id);

    QTest::keyClick(QApplication::focusWidget(), Qt::Key_D);
    auto *draftButton = m_window->findChild<QPushButton *>(u"draftReplyButton"_s);
    // The first words are there while the model still writes, and it can be stopped.
    QTRY_COMPARE(editor()->toPlainText(), u"Hello,"_s);
    QCOMPARE(draftButton->text(), u"Stop Drafting"_s);
    QTRY_COMPARE(editor()->toPlainText(), u"Hello, please install client 4.2."_s);
    QTRY_COMPARE(draftButton->text(), u"Draft Reply"_s);
    QComboBox *sources = combo(u"draftSuggestionComboBox"_s);
    QVERIFY(sources->isVisible());
    QCOMPARE(sources->itemText(0), u"Drafted by draft-model"_s);
    QVERIFY(sources->itemText(1).startsWith(u"#%1"_s.arg(answered)));

    // What the model was told: the ticket, redacted, the conversation without notes, and the
    // similar ticket's reply.
    QCOMPARE(m_llm->requestCount(), 1);
    const QString sent = m_llm->requests().first().userMessage();
    QVERIFY(sent.contains(u"My VPN client disconnects"_s));
    QVERIFY(!sent.contains(u"dana@example.com"_s));
    QVERIFY(sent.contains(u"Still broken today."_s));
    QVERIFY(!sent.contains(u"Secret internal remark"_s));
    QVERIFY(sent.contains(u"Install client 4.2."_s));

    QTest::keyClicks(editor(), u" Best"_s);
    sendButton()->click();
    QTRY_COMPARE(m_messages->list(id).size(), 3);
    const TicketMessage reply = m_messages->list(id).last();
    QCOMPARE(reply.draft, (DraftOrigin{u"remote"_s, u"draft-model"_s, 5}));
}

void TestConversationPane::stoppingADraftKeepsWhatCame()
{
    const qint64 id = addTicket(u"VPN"_s, u"My VPN client disconnects."_s);
    showWindow();
    useRemoteModel();
    m_llm->enqueue(FakeLlmServer::Behaviour::stream({u"One"_s, u" two"_s, u" three"_s, u" four"_s},
                                                    std::chrono::milliseconds(300)));
    selectTicket(id);
    QTest::keyClick(m_window.get(), Qt::Key_D);
    QTRY_COMPARE(editor()->toPlainText(), u"One"_s);
    auto *detail = m_window->findChild<TicketDetailWidget *>();
    QVERIFY(detail->isDrafting());
    // The agent cannot type into a draft still being written, nor send it.
    QVERIFY(editor()->isReadOnly());
    QVERIFY(!sendButton()->isEnabled());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_D); // D again stops it
    QTRY_VERIFY(!detail->isDrafting());
    QSignalSpy sent(m_llm.get(), &FakeLlmServer::streamEventSent);
    QTest::qWait(700);
    QCOMPARE(sent.size(), 0); // the request was ended, not just ignored
    QVERIFY(editor()->toPlainText().startsWith(u"One"_s));
    QVERIFY(!editor()->toPlainText().contains(u"four"_s));
    QVERIFY(!editor()->isReadOnly());
    QVERIFY(sendButton()->isEnabled());

    // From inside the editor, where D is a letter: Ctrl+D drafts, Esc stops.
    m_llm->enqueue(FakeLlmServer::Behaviour::stream({u"Again"_s, u" and again"_s},
                                                    std::chrono::milliseconds(400)));
    editor()->setFocus();
    QTest::keyClick(editor(), Qt::Key_D, Qt::ControlModifier);
    QTRY_COMPARE(editor()->toPlainText(), u"Again"_s);
    QTest::keyClick(editor(), Qt::Key_Escape);
    QTRY_VERIFY(!detail->isDrafting());
    QCOMPARE(editor()->toPlainText(), u"Again"_s);
}

void TestConversationPane::remoteFailureFallsBackToSimilarTickets()
{
    const qint64 answered = addTicket(u"VPN drops"_s, u"The VPN client disconnects."_s);
    addMessage(answered, MessageAuthor::Agent, u"Install client 4.2."_s);
    const qint64 id = addTicket(u"VPN"_s, u"My VPN client disconnects."_s);
    showWindow();
    useRemoteModel();
    m_llm->setDefaultBehaviour(FakeLlmServer::Behaviour::internalError());
    selectTicket(id);
    QTest::keyClick(m_window.get(), Qt::Key_D);
    QTRY_COMPARE(editor()->toPlainText(), u"Install client 4.2."_s);
    auto *notice = m_window->findChild<QLabel *>(u"noticeLabel"_s);
    QVERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains(u"similar ticket"_s), qPrintable(notice->text()));
}

void TestConversationPane::localOnlyCategoryIsDraftedLocally()
{
    const qint64 answered = addTicket(u"Refund"_s, u"Please refund the double charge."_s);
    addMessage(answered, MessageAuthor::Agent, u"Refunded the second charge."_s);
    const qint64 id = addTicket(u"Refund"_s, u"Please refund the double charge on my card."_s);
    Classification billing;
    billing.ticketId = id;
    billing.category = Category::Billing;
    billing.confidence = 0.9;
    ClassificationRepository(m_server->database()).add(billing);
    showWindow();
    useRemoteModel({Category::Billing});
    selectTicket(id);
    QTest::keyClick(m_window.get(), Qt::Key_D);
    QTRY_COMPARE(editor()->toPlainText(), u"Refunded the second charge."_s);
    QCOMPARE(m_llm->requestCount(), 0);
}

void TestConversationPane::localOnlySimilarTicketsAreNotSent()
{
    const auto classify = [this](qint64 ticketId, Category category) {
        Classification classification;
        classification.ticketId = ticketId;
        classification.category = category;
        classification.confidence = 0.9;
        ClassificationRepository(m_server->database()).add(classification);
    };
    const qint64 technical = addTicket(u"VPN"_s, u"The VPN client disconnects."_s);
    addMessage(technical, MessageAuthor::Agent, u"Install client 4.2."_s);
    classify(technical, Category::Technical);
    const qint64 billing = addTicket(u"VPN fee"_s, u"The VPN client disconnects, refund me."_s);
    addMessage(billing, MessageAuthor::Agent, u"Refunded your VPN fee to card 4111."_s);
    classify(billing, Category::Billing);
    const qint64 unclassified = addTicket(u"VPN"_s, u"VPN client disconnects all day."_s);
    addMessage(unclassified, MessageAuthor::Agent, u"Unsorted answer."_s);
    const qint64 id = addTicket(u"VPN"_s, u"My VPN client disconnects."_s);
    classify(id, Category::Technical);
    showWindow();
    useRemoteModel({Category::Billing});
    m_llm->enqueue(FakeLlmServer::Behaviour::stream({u"Hi"_s}));
    selectTicket(id);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_D);
    QTRY_COMPARE(m_llm->requestCount(), 1);
    const QString sent = m_llm->requests().first().userMessage();
    QVERIFY2(sent.contains(u"Install client 4.2."_s), qPrintable(sent));
    QVERIFY(!sent.contains(u"Refunded your VPN fee"_s));
    // Not yet classified may be of a category that must stay.
    QVERIFY(!sent.contains(u"Unsorted answer."_s));
}

QTEST_MAIN(TestConversationPane)
#include "tst_conversationpane.moc"
