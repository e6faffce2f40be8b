#include "classificationrepository.h"
#include "temporarydatabase.h"
#include "ticketimporter.h"
#include "ticketrepository.h"
#include "trainingexamplereader.h"

#include <QFile>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTrainingExampleReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void importedTicketsAreLabelledByQueue();
    void newestAgentLabelOverridesTheQueue();
    void agentLabelledTicketsFromElsewhereAreIncluded();
    void machineResultsAreNotLabels();

private:
    qint64 importedTicketId(const QString &subject);
    void classify(qint64 ticketId, Category category, ClassificationProvider provider);
    const TrainingExample *find(const QList<TrainingExample> &examples, const QString &start);

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestTrainingExampleReader::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    QFile file(QStringLiteral(SC_FIXTURES_DIR "/tickets-v4.csv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    TicketImporter importer(m_temporary->database());
    TicketImporter::Options options;
    // Every language is stored; the reader must keep only English.
    options.language.clear();
    const TicketImporter::Summary summary = importer.import(&file, options);
    QCOMPARE(summary.imported, 5);
}

void TestTrainingExampleReader::cleanup()
{
    m_temporary.reset();
}

qint64 TestTrainingExampleReader::importedTicketId(const QString &subject)
{
    QSqlQuery query(m_temporary->database().connection());
    query.prepare(u"SELECT id FROM tickets WHERE subject = ?"_s);
    query.addBindValue(subject);
    if (!query.exec() || !query.next())
        return 0;
    return query.value(0).toLongLong();
}

void TestTrainingExampleReader::classify(qint64 ticketId, Category category,
                                         ClassificationProvider provider)
{
    Classification classification;
    classification.ticketId = ticketId;
    classification.category = category;
    classification.confidence = 1.0;
    classification.provider = provider;
    classification.model = provider == ClassificationProvider::Agent ? u"agent"_s : u"rules-v1"_s;
    classification.createdAt = QDateTime::currentDateTimeUtc();
    ClassificationRepository(m_temporary->database()).add(classification);
}

const TrainingExample *TestTrainingExampleReader::find(const QList<TrainingExample> &examples,
                                                       const QString &start)
{
    for (const TrainingExample &example : examples) {
        if (example.text.startsWith(start))
            return &example;
    }
    return nullptr;
}

void TestTrainingExampleReader::importedTicketsAreLabelledByQueue()
{
    const QList<TrainingExample> examples = TrainingExampleReader(m_temporary->database()).read();
    // tickets-v4.csv: four English rows with mapped queues, one German row.
    QCOMPARE(examples.size(), 4);
    const TrainingExample *vpn = find(examples, u"VPN keeps dropping"_s);
    QVERIFY(vpn);
    QCOMPARE(vpn->category, Category::Technical);
    QVERIFY(!vpn->fromAgent);
    QVERIFY(vpn->text.contains(u"Restarting the router"_s));
    QCOMPARE(TrainingExampleReader(m_temporary->database()).read(u"de"_s).size(), 1);
}

void TestTrainingExampleReader::newestAgentLabelOverridesTheQueue()
{
    const qint64 id = importedTicketId(u"VPN keeps dropping"_s);
    QVERIFY(id > 0);
    classify(id, Category::General, ClassificationProvider::Agent);
    classify(id, Category::Billing, ClassificationProvider::Agent);
    const QList<TrainingExample> examples = TrainingExampleReader(m_temporary->database()).read();
    QCOMPARE(examples.size(), 4);
    const TrainingExample *vpn = find(examples, u"VPN keeps dropping"_s);
    QVERIFY(vpn);
    QCOMPARE(vpn->category, Category::Billing);
    QVERIFY(vpn->fromAgent);
}

void TestTrainingExampleReader::agentLabelledTicketsFromElsewhereAreIncluded()
{
    TicketRepository tickets(m_temporary->database());
    const qint64 id =
        tickets.create(TicketDraft::fromText(u"Please send our VAT invoice"_s, TicketSource::Api))
            .id;
    const qint64 unlabelled =
        tickets.create(TicketDraft::fromText(u"Nobody labelled me"_s, TicketSource::Api)).id;
    QVERIFY(unlabelled > 0);
    classify(id, Category::Billing, ClassificationProvider::Agent);
    const QList<TrainingExample> examples = TrainingExampleReader(m_temporary->database()).read();
    QCOMPARE(examples.size(), 5);
    const TrainingExample *invoice = find(examples, u"Please send our VAT invoice"_s);
    QVERIFY(invoice);
    QCOMPARE(invoice->category, Category::Billing);
    QVERIFY(!find(examples, u"Nobody labelled me"_s));
}

void TestTrainingExampleReader::machineResultsAreNotLabels()
{
    const qint64 id = importedTicketId(u"VPN keeps dropping"_s);
    classify(id, Category::Billing, ClassificationProvider::Rules);
    const qint64 other =
        TicketRepository(m_temporary->database())
            .create(TicketDraft::fromText(u"Machine said billing"_s, TicketSource::Api))
            .id;
    classify(other, Category::Billing, ClassificationProvider::Learned);
    const QList<TrainingExample> examples = TrainingExampleReader(m_temporary->database()).read();
    QCOMPARE(examples.size(), 4);
    QCOMPARE(find(examples, u"VPN keeps dropping"_s)->category, Category::Technical);
}

QTEST_GUILESS_MAIN(TestTrainingExampleReader)
#include "tst_trainingexamplereader.moc"
