// The tickets.version column of migration 0009: the trigger bumps it by exactly one for every
// statement that changes a ticket's status, category, classification or assignee, and leaves it
// alone otherwise, on either database.
#include "classificationqueue.h"
#include "classificationrepository.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "userrepository.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTicketVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void newTicketIsVersionOne();
    void changingStatementBumpsByOne_data();
    void changingStatementBumpsByOne();
    void unchangedStatementDoesNotBump_data();
    void unchangedStatementDoesNotBump();
    void severalFieldsInOneStatementBumpOnce();
    void eachRowOfOneStatementBumpsOnce();
    void setStatusBumpsOnlyWhenTheStatusChanges();
    void storedMachineClassificationBumps();
    void pipelineBatchBumpsEachTicketOnce();
    void agentVerdictBumpsAndLaterMachineResultDoesNot();

private:
    qint64 version(qint64 ticketId);
    // Runs sql with the ticket's id bound last.
    void exec(const QString &sql, qint64 ticketId);
    qint64 newTicket(const QString &text);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    qint64 m_ticketId = 0;
};

void TestTicketVersion::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    UserRepository users(m_temporary->database());
    for (const QString &name : {u"alice"_s, u"bob"_s}) {
        UserAccount user;
        user.name = name;
        user.createdBy = u"system:tests"_s;
        QVERIFY(users.add(user));
    }
    m_ticketId = newTicket(u"My card was charged twice"_s);
}

void TestTicketVersion::cleanup()
{
    m_temporary.reset();
}

qint64 TestTicketVersion::newTicket(const QString &text)
{
    TicketRepository tickets(m_temporary->database());
    return tickets.create(TicketDraft::fromText(text, TicketSource::Api)).id;
}

qint64 TestTicketVersion::version(qint64 ticketId)
{
    QSqlQuery query(m_temporary->database().connection());
    query.prepare(u"SELECT version FROM tickets WHERE id = ?"_s);
    query.addBindValue(ticketId);
    if (!query.exec() || !query.next())
        qFatal("Could not read the version: %s", qPrintable(query.lastError().text()));
    return query.value(0).toLongLong();
}

void TestTicketVersion::exec(const QString &sql, qint64 ticketId)
{
    QSqlQuery query(m_temporary->database().connection());
    QVERIFY2(query.prepare(sql), qPrintable(query.lastError().text()));
    query.addBindValue(ticketId);
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
}

void TestTicketVersion::newTicketIsVersionOne()
{
    QCOMPARE(version(m_ticketId), 1);
    QCOMPARE(version(newTicket(u"Another one"_s)), 1);
}

void TestTicketVersion::changingStatementBumpsByOne_data()
{
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("status") << QStringList{
        u"UPDATE tickets SET status = 'in_progress' WHERE id = ?"_s,
        u"UPDATE tickets SET status = 'resolved' WHERE id = ?"_s,
        u"UPDATE tickets SET status = 'open' WHERE id = ?"_s,
    };
    QTest::newRow("category") << QStringList{
        u"UPDATE tickets SET category = 'billing' WHERE id = ?"_s,
        u"UPDATE tickets SET category = 'technical' WHERE id = ?"_s,
        u"UPDATE tickets SET category = NULL WHERE id = ?"_s,
    };
    QTest::newRow("assignee") << QStringList{
        u"UPDATE tickets SET assignee = 'alice' WHERE id = ?"_s,
        u"UPDATE tickets SET assignee = 'bob' WHERE id = ?"_s,
        u"UPDATE tickets SET assignee = NULL WHERE id = ?"_s,
    };
    QTest::newRow("mixed") << QStringList{
        u"UPDATE tickets SET assignee = 'alice' WHERE id = ?"_s,
        u"UPDATE tickets SET status = 'closed' WHERE id = ?"_s,
        u"UPDATE tickets SET category = 'general' WHERE id = ?"_s,
    };
}

void TestTicketVersion::changingStatementBumpsByOne()
{
    QFETCH(QStringList, statements);
    const qint64 otherTicket = newTicket(u"Untouched"_s);
    qint64 expected = version(m_ticketId);
    for (const QString &statement : statements) {
        exec(statement, m_ticketId);
        ++expected;
        QCOMPARE(version(m_ticketId), expected);
    }
    QCOMPARE(version(otherTicket), 1);
}

void TestTicketVersion::unchangedStatementDoesNotBump_data()
{
    QTest::addColumn<QString>("setUp");
    QTest::addColumn<QString>("statement");

    const QString none;
    QTest::newRow("status to itself")
        << none << u"UPDATE tickets SET status = status WHERE id = ?"_s;
    QTest::newRow("status to its value")
        << none << u"UPDATE tickets SET status = 'open' WHERE id = ?"_s;
    QTest::newRow("no category to none")
        << none << u"UPDATE tickets SET category = NULL WHERE id = ?"_s;
    QTest::newRow("category to its value")
        << u"UPDATE tickets SET category = 'billing' WHERE id = ?"_s
        << u"UPDATE tickets SET category = 'billing' WHERE id = ?"_s;
    QTest::newRow("unassigned to unassigned")
        << none << u"UPDATE tickets SET assignee = NULL WHERE id = ?"_s;
    QTest::newRow("assignee to the same")
        << u"UPDATE tickets SET assignee = 'alice' WHERE id = ?"_s
        << u"UPDATE tickets SET assignee = 'alice' WHERE id = ?"_s;
    QTest::newRow("all watched columns to themselves")
        << none
        << u"UPDATE tickets SET status = status, category = category, assignee = assignee, "
           "classification_id = classification_id WHERE id = ?"_s;
    QTest::newRow("a column nobody watches")
        << none << u"UPDATE tickets SET updated_at = updated_at + 1 WHERE id = ?"_s;
    QTest::newRow("no row") << none
                            << u"UPDATE tickets SET status = 'closed' WHERE id = ? + 1000"_s;
}

void TestTicketVersion::unchangedStatementDoesNotBump()
{
    QFETCH(QString, setUp);
    QFETCH(QString, statement);
    if (!setUp.isEmpty())
        exec(setUp, m_ticketId);
    const qint64 before = version(m_ticketId);
    exec(statement, m_ticketId);
    QCOMPARE(version(m_ticketId), before);
}

void TestTicketVersion::severalFieldsInOneStatementBumpOnce()
{
    exec(u"UPDATE tickets SET status = 'in_progress', category = 'billing', assignee = 'bob' "
         "WHERE id = ?"_s,
         m_ticketId);
    QCOMPARE(version(m_ticketId), 2);
    // One field changing among several set to their values is still a change.
    exec(u"UPDATE tickets SET status = 'in_progress', category = 'billing', assignee = 'alice' "
         "WHERE id = ?"_s,
         m_ticketId);
    QCOMPARE(version(m_ticketId), 3);
}

void TestTicketVersion::eachRowOfOneStatementBumpsOnce()
{
    const qint64 second = newTicket(u"Second"_s);
    const qint64 third = newTicket(u"Third"_s);
    exec(u"UPDATE tickets SET category = 'billing' WHERE id = ?"_s, third);
    QCOMPARE(version(third), 2);
    // Only the rows that change move; the third already is billing.
    exec(u"UPDATE tickets SET category = 'billing' WHERE id >= ?"_s, m_ticketId);
    QCOMPARE(version(m_ticketId), 2);
    QCOMPARE(version(second), 2);
    QCOMPARE(version(third), 2);
}

void TestTicketVersion::setStatusBumpsOnlyWhenTheStatusChanges()
{
    TicketRepository tickets(m_temporary->database());
    const qint64 second = newTicket(u"Second"_s);
    tickets.setStatus({m_ticketId, second}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    QCOMPARE(version(m_ticketId), 2);
    QCOMPARE(version(second), 2);
    tickets.setStatus({m_ticketId}, TicketStatus::Resolved, Actor::user(u"alice"_s));
    QCOMPARE(version(m_ticketId), 2);
    tickets.setStatus({m_ticketId, second}, TicketStatus::Closed, Actor::user(u"alice"_s));
    QCOMPARE(version(m_ticketId), 3);
    QCOMPARE(version(second), 3);
}

void TestTicketVersion::storedMachineClassificationBumps()
{
    ClassificationRepository classifications(m_temporary->database());
    Classification result;
    result.ticketId = m_ticketId;
    result.category = Category::Billing;
    result.confidence = 0.9;
    result.provider = ClassificationProvider::Rules;
    result.model = u"rules"_s;
    classifications.add(result);
    QCOMPARE(version(m_ticketId), 2);
    // A second result with the same category is a new classification of the ticket.
    result.provider = ClassificationProvider::Learned;
    result.model = u"fasttext"_s;
    classifications.add(result);
    QCOMPARE(version(m_ticketId), 3);
}

void TestTicketVersion::pipelineBatchBumpsEachTicketOnce()
{
    const qint64 second = newTicket(u"The app crashes on start"_s);
    const qint64 untouched = newTicket(u"Not in this batch"_s);
    ClassificationQueue queue(m_temporary->database());
    const QList<ClassificationQueue::Entry> claimed =
        queue.claim(10, QDateTime::currentDateTimeUtc());
    QCOMPARE(claimed.size(), 3);

    QList<Classification> results;
    for (const qint64 ticketId : {m_ticketId, second}) {
        Classification result;
        result.ticketId = ticketId;
        result.category = ticketId == second ? Category::Technical : Category::Billing;
        result.confidence = 0.8;
        result.provider = ClassificationProvider::Learned;
        result.model = u"fasttext"_s;
        results.append(result);
    }
    QCOMPARE(queue.complete(results).size(), 2);
    QCOMPARE(version(m_ticketId), 2);
    QCOMPARE(version(second), 2);
    QCOMPARE(version(untouched), 1);
}

void TestTicketVersion::agentVerdictBumpsAndLaterMachineResultDoesNot()
{
    ClassificationRepository classifications(m_temporary->database());
    classifications.addVerdict({m_ticketId}, Category::General, Actor::user(u"alice"_s));
    QCOMPARE(version(m_ticketId), 2);
    // The agent's word is final: a machine result afterwards changes nothing a client sees.
    Classification result;
    result.ticketId = m_ticketId;
    result.category = Category::Billing;
    result.confidence = 0.99;
    result.provider = ClassificationProvider::Remote;
    result.model = u"remote"_s;
    classifications.add(result);
    QCOMPARE(version(m_ticketId), 2);
}

QTEST_GUILESS_MAIN(TestTicketVersion)
#include "tst_ticketversion.moc"
