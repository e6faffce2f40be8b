#include "classificationrepository.h"
#include "mainwindow.h"
#include "runningserver.h"
#include "testaccount.h"
#include "ticketdetailwidget.h"
#include "ticketrepository.h"
#include "tickettablemodel.h"
#include "userrepository.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

// The window in a team: who holds a ticket, whose tickets the table shows, what the pane says
// others did, and the rule that a change made from a stale view is refused and explained. Real
// widgets over a real database that another writer shares.
class TestTeamTriage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void takingATicketAssignsItToMe();
    void ticketIsGivenToSomeoneAndBackToNobody();
    void mineAndUnassignedFiltersShowWhoseTicketsTheyAre();
    void reviewQueueSkipsTicketsOthersHold();
    void changeAfterSomeoneElsesIsRefusedAndExplained();
    void quickSuccessiveChangesOfMyOwnDoNotConflict();
    void paneShowsWhoDidWhat();
    void disabledUserCannotBeGivenTickets();

private:
    qint64 addTicket(const QString &subject, double confidence = 0.9);
    void showWindow();
    // Selects the row and waits until the pane shows its ticket, which actions then apply to.
    void selectTicket(qint64 ticketId);
    QTableView *table() const { return m_window->findChild<QTableView *>(u"ticketTableView"_s); }
    TicketTableModel *model() const { return m_window->ticketModel(); }
    TicketDetailWidget *pane() const { return m_window->findChild<TicketDetailWidget *>(); }
    QLabel *holder() const { return pane()->findChild<QLabel *>(u"assigneeLabel"_s); }
    QMenu *assigneeMenu() const { return pane()->findChild<QMenu *>(u"assigneeMenu"_s); }
    // The menu's entry for a user, or for nobody with an empty name.
    QAction *holderEntry(const QString &name) const
    {
        const QList<QAction *> entries = assigneeMenu()->actions();
        const auto found = std::find_if(entries.cbegin(), entries.cend(), [&](QAction *entry) {
            return entry->isCheckable() && entry->data().toString() == name;
        });
        return found == entries.cend() ? nullptr : *found;
    }
    QComboBox *holderFilter() const
    {
        return m_window->findChild<QComboBox *>(u"assigneeFilterComboBox"_s);
    }
    QLabel *notice() const { return pane()->findChild<QLabel *>(u"noticeLabel"_s); }
    QAction *action(const QString &name) const { return m_window->findChild<QAction *>(name); }
    QStringList shownSubjects() const;

    std::unique_ptr<RunningServer> m_server;
    // Another writer on the same database: a colleague's console or an API node.
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<MainWindow> m_window;
};

void TestTeamTriage::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    m_tickets = std::make_unique<TicketRepository>(m_server->database());
    UserRepository users(m_server->database());
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s}) {
        UserAccount user;
        user.name = name;
        user.createdBy = u"system:tests"_s;
        QVERIFY(users.add(user));
    }
}

void TestTeamTriage::cleanup()
{
    m_window.reset();
    m_tickets.reset();
    m_server.reset();
}

qint64 TestTeamTriage::addTicket(const QString &subject, double confidence)
{
    const Ticket ticket = m_tickets->create(
        TicketDraft::fromSubjectAndBody(subject, u"Please help"_s, TicketSource::Api));
    Classification classification;
    classification.ticketId = ticket.id;
    classification.category = Category::Technical;
    classification.confidence = confidence;
    classification.needsReview = confidence < 0.6;
    ClassificationRepository(m_server->database()).add(classification);
    return ticket.id;
}

void TestTeamTriage::showWindow()
{
    m_server->tickets().setChangePollInterval(100);
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(Role::Agent));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    // The assignee list is read once the window opens.
    QTRY_VERIFY(holderEntry(u"carol"_s));
}

void TestTeamTriage::selectTicket(qint64 ticketId)
{
    QTRY_VERIFY(model()->rowOfTicket(ticketId) >= 0);
    table()->setFocus();
    table()->selectRow(model()->rowOfTicket(ticketId));
    QTRY_COMPARE(pane()->ticketId(), ticketId);
}

QStringList TestTeamTriage::shownSubjects() const
{
    QStringList subjects;
    for (int row = 0; row < model()->rowCount(); ++row)
        subjects.append(model()->index(row, TicketTableModel::SubjectColumn).data().toString());
    subjects.sort();
    return subjects;
}

void TestTeamTriage::takingATicketAssignsItToMe()
{
    const qint64 id = addTicket(u"Printer on fire"_s);
    showWindow();
    selectTicket(id);
    QCOMPARE(holder()->text(), u"Nobody"_s);
    QVERIFY(holderEntry(QString())->isChecked());

    QTest::keyClick(table(), Qt::Key_M);
    QTRY_COMPARE(m_tickets->find(id)->assignee, u"alice"_s);
    const QList<TicketEvent> events = m_tickets->events(id);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().actor, Actor::user(u"alice"_s));
    QCOMPARE(events.first().after, u"alice"_s);
    const int row = model()->rowOfTicket(id);
    QTRY_COMPARE(model()->index(row, TicketTableModel::AssigneeColumn).data().toString(),
                 u"alice"_s);
    QTRY_COMPARE(holder()->text(), u"alice"_s);
    QVERIFY(holderEntry(u"alice"_s)->isChecked());
    QVERIFY(notice()->isHidden());
}

void TestTeamTriage::ticketIsGivenToSomeoneAndBackToNobody()
{
    const qint64 id = addTicket(u"VPN drops"_s);
    showWindow();
    selectTicket(id);

    // The keyboard's way: Shift+M opens the list; walking it changes nothing until Enter.
    QTest::keyClick(table(), Qt::Key_M, Qt::ShiftModifier);
    QTRY_VERIFY(assigneeMenu()->isVisible());
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(assigneeMenu(), Qt::Key_Down);
    QCOMPARE(assigneeMenu()->activeAction(), holderEntry(u"bob"_s));
    QTest::qWait(100);
    QVERIFY(m_tickets->events(id).isEmpty());
    QTest::keyClick(assigneeMenu(), Qt::Key_Return);
    QTRY_COMPARE(m_tickets->find(id)->assignee, u"bob"_s);
    QVERIFY(!assigneeMenu()->isVisible());
    // The pane has read the change back.
    QTRY_COMPARE(pane()->findChild<QTreeWidget *>(u"activityTreeWidget"_s)->topLevelItemCount(), 1);

    holderEntry(QString())->trigger();
    QTRY_VERIFY(m_tickets->find(id)->assignee.isEmpty());
    const QList<TicketEvent> events = m_tickets->events(id);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.last().before, u"bob"_s);
    QCOMPARE(events.last().after, std::nullopt);
    QVERIFY(notice()->isHidden());
}

void TestTeamTriage::mineAndUnassignedFiltersShowWhoseTicketsTheyAre()
{
    const qint64 mine = addTicket(u"mine"_s);
    const qint64 bobs = addTicket(u"bob's"_s);
    addTicket(u"nobody's"_s);
    m_tickets->setAssignee({mine}, u"alice"_s, Actor::user(u"alice"_s));
    m_tickets->setAssignee({bobs}, u"bob"_s, Actor::user(u"alice"_s));
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 3);

    QTest::keyClick(m_window.get(), Qt::Key_M, Qt::ControlModifier);
    QCOMPARE(holderFilter()->currentText(), u"Mine"_s);
    QTRY_COMPARE(shownSubjects(), QStringList{u"mine"_s});
    // The category buttons count what the filter shows.
    auto *all = m_window->findChild<QAbstractButton *>(u"allCategoryButton"_s);
    QTRY_COMPARE(all->text(), u"All (1)"_s);

    holderFilter()->setCurrentIndex(holderFilter()->findText(u"Unassigned"_s));
    QTRY_COMPARE(shownSubjects(), QStringList{u"nobody's"_s});
    holderFilter()->setCurrentIndex(holderFilter()->findText(u"Anyone's"_s));
    QTRY_COMPARE(model()->rowCount(), 3);

    // A ticket taken on another console joins "Mine" at the next poll.
    holderFilter()->setCurrentIndex(holderFilter()->findText(u"Mine"_s));
    QTRY_COMPARE(model()->rowCount(), 1);
    m_tickets->setAssignee({bobs}, u"alice"_s, Actor::user(u"bob"_s));
    QTRY_COMPARE(shownSubjects(), (QStringList{u"bob's"_s, u"mine"_s}));
}

void TestTeamTriage::reviewQueueSkipsTicketsOthersHold()
{
    addTicket(u"unsure, nobody's"_s, 0.3);
    const qint64 mine = addTicket(u"unsure, mine"_s, 0.3);
    const qint64 bobs = addTicket(u"unsure, bob's"_s, 0.3);
    addTicket(u"sure"_s, 0.95);
    m_tickets->setAssignee({mine}, u"alice"_s, Actor::user(u"alice"_s));
    m_tickets->setAssignee({bobs}, u"bob"_s, Actor::user(u"bob"_s));
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 4);

    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->findChild<QCheckBox *>(u"needsReviewCheckBox"_s)->isChecked());
    QCOMPARE(holderFilter()->currentText(), u"Mine or unassigned"_s);
    QTRY_COMPARE(shownSubjects(), (QStringList{u"unsure, mine"_s, u"unsure, nobody's"_s}));

    // Bob's ticket is still there for whoever asks for everyone's.
    holderFilter()->setCurrentIndex(holderFilter()->findText(u"Anyone's"_s));
    QTRY_COMPARE(model()->rowCount(), 3);
    // And the agent's choice stands the next time the queue is opened.
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(holderFilter()->currentText(), u"Anyone's"_s);
}

void TestTeamTriage::changeAfterSomeoneElsesIsRefusedAndExplained()
{
    const qint64 id = addTicket(u"Charged twice"_s);
    showWindow();
    selectTicket(id);

    // Bob closes the ticket, and before the window hears of it, the agent sets its category:
    // both in one turn of the event loop, so the window still shows the version it read.
    m_tickets->setStatus({id}, TicketStatus::Closed, Actor::user(u"bob"_s));
    action(u"actionSetBilling"_s)->trigger();

    QTRY_VERIFY(notice()->isVisible());
    QVERIFY2(notice()->text().contains(u"bob changed ticket #%1"_s.arg(id)),
             qPrintable(notice()->text()));
    QVERIFY(notice()->text().contains(u"not made"_s));
    QCOMPARE(m_tickets->find(id)->category, Category::Technical);
    QCOMPARE(m_tickets->find(id)->classification->provider, ClassificationProvider::Rules);
    QCOMPARE(m_tickets->events(id).size(), 1);
    // The pane now shows what Bob did, so the agent decides again from what is true.
    auto *status = pane()->findChild<QComboBox *>(u"statusComboBox"_s);
    QTRY_COMPARE(status->currentText(), u"Closed"_s);

    action(u"actionSetBilling"_s)->trigger();
    QTRY_COMPARE(m_tickets->find(id)->category, Category::Billing);
    QTRY_VERIFY(notice()->isHidden());
    QCOMPARE(m_tickets->find(id)->status, TicketStatus::Closed);
}

void TestTeamTriage::quickSuccessiveChangesOfMyOwnDoNotConflict()
{
    const qint64 id = addTicket(u"Invoice wrong"_s);
    showWindow();
    selectTicket(id);
    const qint64 shownVersion = m_tickets->find(id)->version;

    // Three keys before the pane reads the ticket again: each builds on the one before.
    action(u"actionSetBilling"_s)->trigger();
    action(u"actionSetInProgress"_s)->trigger();
    action(u"actionAssignToMe"_s)->trigger();
    QTRY_COMPARE(m_tickets->find(id)->assignee, u"alice"_s);
    const Ticket ticket = *m_tickets->find(id);
    QCOMPARE(ticket.category, Category::Billing);
    QCOMPARE(ticket.status, TicketStatus::InProgress);
    QVERIFY(ticket.version > shownVersion);
    QCOMPARE(m_tickets->events(id).size(), 3);
    QTest::qWait(200);
    QVERIFY(notice()->isHidden());
}

void TestTeamTriage::paneShowsWhoDidWhat()
{
    const qint64 id = addTicket(u"Refund please"_s);
    m_tickets->setStatus({id}, TicketStatus::InProgress, Actor::integration(u"crm"_s));
    m_tickets->setAssignee({id}, u"bob"_s, Actor::user(u"carol"_s));
    ClassificationRepository(m_server->database())
        .addVerdict({id}, Category::Billing, Actor::user(u"bob"_s));
    showWindow();
    selectTicket(id);

    auto *activity = pane()->findChild<QTreeWidget *>(u"activityTreeWidget"_s);
    QTRY_COMPARE(activity->topLevelItemCount(), 3);
    // Newest first, each with who did it: a person by name, an integration said to be one.
    QCOMPARE(activity->topLevelItem(0)->text(1), u"bob"_s);
    QCOMPARE(activity->topLevelItem(0)->text(2), u"Category: Technical → Billing"_s);
    QCOMPARE(activity->topLevelItem(1)->text(1), u"carol"_s);
    QCOMPARE(activity->topLevelItem(1)->text(2), u"Assigned to bob"_s);
    QCOMPARE(activity->topLevelItem(2)->text(1), u"crm (integration)"_s);
    QCOMPARE(activity->topLevelItem(2)->text(2), u"Status: Open → In progress"_s);
    QVERIFY(!activity->topLevelItem(2)->text(0).isEmpty());
    QCOMPARE(holder()->text(), u"bob"_s);
}

void TestTeamTriage::disabledUserCannotBeGivenTickets()
{
    const qint64 id = addTicket(u"Password reset"_s);
    showWindow();
    selectTicket(id);
    QVERIFY(holderEntry(u"carol"_s));

    // Carol leaves while the agent's list still offers her.
    QVERIFY(UserRepository(m_server->database()).setDisabled(u"carol"_s, true));
    holderEntry(u"carol"_s)->trigger();
    QTRY_VERIFY(notice()->isVisible());
    QVERIFY2(notice()->text().contains(u"carol"_s), qPrintable(notice()->text()));
    QVERIFY(m_tickets->find(id)->assignee.isEmpty());
    QVERIFY(m_tickets->events(id).isEmpty());
    // The pane goes back to what is true.
    QTRY_VERIFY(holderEntry(QString())->isChecked());
    QCOMPARE(holder()->text(), u"Nobody"_s);
    // And no longer offers her.
    QTRY_VERIFY(!holderEntry(u"carol"_s));
}

QTEST_MAIN(TestTeamTriage)
#include "tst_teamtriage.moc"
