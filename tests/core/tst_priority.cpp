#include "priority.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestPriority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip();
    void fromName_data();
    void fromName();
};

void TestPriority::namesRoundTrip()
{
    for (Priority priority : kAllPriorities)
        QCOMPARE(priorityFromName(QString(priorityName(priority))), priority);
}

void TestPriority::fromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<std::optional<Priority>>("priority");

    QTest::newRow("low") << u"low"_s << std::optional(Priority::Low);
    QTest::newRow("medium") << u"medium"_s << std::optional(Priority::Medium);
    QTest::newRow("high") << u"high"_s << std::optional(Priority::High);
    QTest::newRow("dataset critical is high") << u"critical"_s << std::optional(Priority::High);
    QTest::newRow("odd case and spaces") << u" High "_s << std::optional(Priority::High);
    QTest::newRow("unknown") << u"urgent"_s << std::optional<Priority>();
    QTest::newRow("empty") << QString() << std::optional<Priority>();
}

void TestPriority::fromName()
{
    QFETCH(QString, name);
    QFETCH(std::optional<Priority>, priority);
    QCOMPARE(priorityFromName(name), priority);
}

QTEST_GUILESS_MAIN(TestPriority)
#include "tst_priority.moc"
