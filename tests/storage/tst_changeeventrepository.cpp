#include "changeeventrepository.h"
#include "classificationrepository.h"
#include "database.h"
#include "feedbackrepository.h"
#include "messagerepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "testclassifications.h"
#include "ticketrepository.h"
#include "transaction.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

class TestChangeEventRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyKindOfChangeIsLoggedInOrder();
    void concurrentWritersNeverMakeAReaderSkipAnEvent();
    void trimmingRemovesOldEventsAndRemembersHowFar();
};

void TestChangeEventRepository::everyKindOfChangeIsLoggedInOrder()
{
    TemporaryDatabase temporary;
    Database &database = temporary.database();
    TicketRepository tickets(database);
    ChangeEventRepository events(database);
    QCOMPARE(events.latestPosition(), 0);

    const Actor ada = Actor::user(u"ada"_s);
    const qint64 id =
        tickets.create(TicketDraft::fromText(u"Printer on fire"_s, TicketSource::Api)).id;
    TestClassifications::add(database, id, Category::Technical, ClassificationProvider::Rules, 0.7);
    tickets.setStatus({id}, TicketStatus::InProgress, ada);
    MessageRepository messages(database);
    TicketMessage reply;
    reply.ticketId = id;
    reply.authorName = ada.name;
    reply.body = u"On it."_s;
    QVERIFY(messages.add(reply, ada));
    TicketMessage note = reply;
    note.visibility = MessageVisibility::Internal;
    note.body = u"Call the vendor."_s;
    QVERIFY(messages.add(note, ada));
    Feedback feedback;
    feedback.ticketId = id;
    feedback.rating = 4;
    feedback.resolved = true;
    feedback.ratedBy = u"survey"_s;
    feedback.ratedAt = QDateTime::currentDateTimeUtc();
    QVERIFY(FeedbackRepository(database).record(feedback));

    const QList<ChangeEvent> logged = events.after(0, 100);
    QStringList types;
    for (const ChangeEvent &event : logged) {
        types.append(event.type);
        QCOMPARE(event.ticketId, id);
        QVERIFY(qAbs(event.at.msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
    }
    QCOMPARE(types, (QStringList{u"ticket.created"_s, u"ticket.classified"_s, u"ticket.updated"_s,
                                 u"ticket.replied"_s, u"ticket.replied"_s, u"ticket.rated"_s}));
    for (qsizetype i = 1; i < logged.size(); ++i)
        QVERIFY(logged.at(i).position > logged.at(i - 1).position);
    QCOMPARE(logged.at(0).data[u"source"_s].toString(), u"api"_s);
    QCOMPARE(logged.at(1).data[u"category"_s].toString(), u"technical"_s);
    QCOMPARE(logged.at(1).data[u"confidence"_s].toDouble(), 0.7);
    QCOMPARE(logged.at(2).data[u"field"_s].toString(), u"status"_s);
    QCOMPARE(logged.at(2).data[u"before"_s].toString(), u"open"_s);
    QCOMPARE(logged.at(2).data[u"after"_s].toString(), u"in_progress"_s);
    QCOMPARE(logged.at(2).data[u"actor"_s][u"name"_s].toString(), u"ada"_s);
    QVERIFY(!logged.at(3).internal);
    QVERIFY(logged.at(4).internal);
    QCOMPARE(logged.at(4).data[u"visibility"_s].toString(), u"internal"_s);
    QCOMPARE(logged.at(5).data[u"rating"_s].toInt(), 4);
    QCOMPARE(logged.at(5).data[u"resolved"_s].toBool(), true);

    QCOMPARE(events.latestPosition(), logged.last().position);
    QCOMPARE(events.after(logged.at(3).position, 2).size(), 2);
    QVERIFY(events.after(logged.last().position, 10).isEmpty());

    // A write that rolls back tells nothing.
    {
        Transaction transaction(database);
        QSqlQuery insert(database.connection());
        QVERIFY(insert.exec(u"INSERT INTO tickets (subject, body, form, source, status, "
                            "created_at, updated_at) VALUES ('s', 'b', 'text', 'api', 'open', 1, "
                            "1)"_s));
    }
    QCOMPARE(events.latestPosition(), logged.last().position);
}

// Writers that keep their transaction open for a while after writing commit out of the order in
// which they wrote. A reader that asks for what came after the last position it saw, again and
// again while they write, must still see every event exactly once.
void TestChangeEventRepository::concurrentWritersNeverMakeAReaderSkipAnEvent()
{
    TemporaryDatabase temporary;
    const Database &database = temporary.database();
    constexpr int kWriters = 4;
    constexpr int kTicketsEach = 60;
    std::atomic<int> writersLeft = kWriters;
    std::atomic<int> failures = 0;
    QList<QThread *> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.append(QThread::create([&database, &writersLeft, &failures] {
            for (int i = 0; i < kTicketsEach; ++i) {
                try {
                    Transaction::retryingConflicts(database, [&] {
                        Transaction transaction(database);
                        QSqlQuery insert(database.connection());
                        if (!insert.exec(u"INSERT INTO tickets (subject, body, form, source, "
                                         "status, created_at, updated_at) VALUES ('s', 'b', "
                                         "'text', 'api', 'open', 1, 1)"_s))
                            throw StorageError(insert.lastError().text(), insert.lastError());
                        insert.finish();
                        QThread::usleep(QRandomGenerator::global()->bounded(3000));
                        transaction.commit();
                    });
                } catch (const StorageError &) {
                    ++failures;
                }
            }
            database.closeThreadConnection();
            --writersLeft;
        }));
        writers.last()->start();
    }

    ChangeEventRepository events(database);
    QList<qint64> seen;
    qint64 last = 0;
    const auto readOn = [&] {
        const QList<ChangeEvent> page = events.after(last, 1000);
        for (const ChangeEvent &event : page)
            seen.append(event.position);
        if (!page.isEmpty())
            last = page.last().position;
    };
    while (writersLeft > 0)
        readOn();
    for (QThread *writer : std::as_const(writers)) {
        QVERIFY(writer->wait(60'000));
        delete writer;
    }
    readOn();
    QCOMPARE(failures.load(), 0);

    QList<qint64> all;
    qint64 after = 0;
    for (QList<ChangeEvent> page = events.after(0, 1000); !page.isEmpty();
         page = events.after(after, 1000)) {
        for (const ChangeEvent &event : page)
            all.append(event.position);
        after = page.last().position;
    }
    QCOMPARE(all.size(), kWriters * kTicketsEach);
    QCOMPARE(QSet<qint64>(seen.cbegin(), seen.cend()).size(), seen.size()); // none twice
    QCOMPARE(seen, all);                                                    // none skipped
}

void TestChangeEventRepository::trimmingRemovesOldEventsAndRemembersHowFar()
{
    TemporaryDatabase temporary;
    Database &database = temporary.database();
    TicketRepository tickets(database);
    for (int i = 0; i < 5; ++i)
        tickets.create(TicketDraft::fromText(u"Ticket %1"_s.arg(i), TicketSource::Api));
    ChangeEventRepository events(database);
    const QList<ChangeEvent> logged = events.after(0, 10);
    QCOMPARE(logged.size(), 5);
    // The first three were written eight days ago.
    QSqlQuery age(database.connection());
    QVERIFY(age.prepare(u"UPDATE ticket_change_events SET created_at = ? WHERE %1 <= ?"_s.arg(
        database.dialect().eventPositionColumn())));
    age.addBindValue(QDateTime::currentMSecsSinceEpoch() - 8 * 86'400'000LL);
    age.addBindValue(logged.at(2).position);
    QVERIFY2(age.exec(), qPrintable(age.lastError().text()));
    age.finish();

    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-ChangeEvent::kRetentionDays);
    QCOMPARE(events.trimBefore(cutoff), 3);
    QCOMPARE(events.trimmedThrough(), logged.at(2).position);
    QCOMPARE(events.after(0, 10).size(), 2);
    QCOMPARE(events.after(0, 10).first().position, logged.at(3).position);
    // Nothing older is left: trimming again removes nothing and forgets nothing.
    QCOMPARE(events.trimBefore(cutoff), 0);
    QCOMPARE(events.trimmedThrough(), logged.at(2).position);
    QCOMPARE(events.latestPosition(), logged.last().position);
}

QTEST_GUILESS_MAIN(TestChangeEventRepository)
#include "tst_changeeventrepository.moc"
