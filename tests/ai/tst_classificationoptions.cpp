#include "classificationoptions.h"

#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestClassificationOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void providers_data();
    void providers();
    void environmentOverridesTheProviderSetting();
    void threshold_data();
    void threshold();
    void localOnlyCategories();
    void retrainAfterVerdicts();
    void remoteComesFromTheEnvironment();
    void leaseDuration_data();
    void leaseDuration();

private:
    QSettings &settings();

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
};

QSettings &TestClassificationOptions::settings()
{
    m_settings = std::make_unique<QSettings>(
        m_dir.filePath(u"%1.ini"_s.arg(QTest::currentDataTag()
                                           ? QString::fromUtf8(QTest::currentDataTag())
                                           : QString::fromUtf8(QTest::currentTestFunction()))),
        QSettings::IniFormat);
    m_settings->clear();
    return *m_settings;
}

void TestClassificationOptions::defaults()
{
    QStringList errors;
    const ClassificationOptions options =
        ClassificationOptions::fromSettings(settings(), QProcessEnvironment(), &errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(options.order, (QList{ClassificationProvider::Remote, ClassificationProvider::Learned,
                                   ClassificationProvider::Rules}));
    QCOMPARE(options.reviewThreshold, 0.6);
    QCOMPARE(options.leaseDuration, std::chrono::milliseconds(60'000));
    QCOMPARE(options.retrainAfterVerdicts, 50);
    QVERIFY(options.localOnlyCategories.isEmpty());
    QVERIFY(!options.llm.isConfigured());
}

void TestClassificationOptions::providers_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QList<ClassificationProvider>>("order");
    QTest::addColumn<int>("errorCount");

    QTest::newRow("rules only") << u"rules"_s << QList{ClassificationProvider::Rules} << 0;
    QTest::newRow("learned") << u"learned,rules"_s
                             << QList{ClassificationProvider::Learned,
                                      ClassificationProvider::Rules}
                             << 0;
    QTest::newRow("local first") << u"fasttext, rules, remote"_s
                                 << QList{ClassificationProvider::Learned,
                                          ClassificationProvider::Rules,
                                          ClassificationProvider::Remote}
                                 << 0;
    QTest::newRow("duplicates dropped")
        << u"rules,rules"_s << QList{ClassificationProvider::Rules} << 0;
    QTest::newRow("unknown named") << u"rules,gpt"_s << QList{ClassificationProvider::Rules} << 1;
    QTest::newRow("agent is not a provider")
        << u"agent,rules"_s << QList{ClassificationProvider::Rules} << 1;
    QTest::newRow("nothing valid keeps the default")
        << u"magic"_s
        << QList{ClassificationProvider::Remote, ClassificationProvider::Learned,
                 ClassificationProvider::Rules}
        << 1;
}

void TestClassificationOptions::providers()
{
    QFETCH(QString, value);
    QFETCH(QList<ClassificationProvider>, order);
    QFETCH(int, errorCount);

    QSettings &file = settings();
    file.setValue(u"ai/providers"_s, value);
    QStringList errors;
    const ClassificationOptions options =
        ClassificationOptions::fromSettings(file, QProcessEnvironment(), &errors);
    QCOMPARE(options.order, order);
    QCOMPARE(errors.size(), errorCount);
}

void TestClassificationOptions::environmentOverridesTheProviderSetting()
{
    QSettings &file = settings();
    file.setValue(u"ai/providers"_s, u"remote"_s);
    QProcessEnvironment environment;
    environment.insert(u"SUPPORT_CONSOLE_AI_PROVIDERS"_s, u"rules"_s);
    QStringList errors;
    QCOMPARE(ClassificationOptions::fromSettings(file, environment, &errors).order,
             QList{ClassificationProvider::Rules});
}

void TestClassificationOptions::leaseDuration_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("milliseconds");
    QTest::addColumn<int>("errorCount");
    QTest::newRow("seconds") << u"5"_s << qint64(5'000) << 0;
    QTest::newRow("zero") << u"0"_s << qint64(60'000) << 1;
    QTest::newRow("not a number") << u"soon"_s << qint64(60'000) << 1;
}

void TestClassificationOptions::leaseDuration()
{
    QFETCH(QString, value);
    QFETCH(qint64, milliseconds);
    QFETCH(int, errorCount);
    QProcessEnvironment environment;
    environment.insert(u"SUPPORT_CONSOLE_AI_LEASE_SECONDS"_s, value);
    QStringList errors;
    QCOMPARE(
        ClassificationOptions::fromSettings(settings(), environment, &errors).leaseDuration.count(),
        milliseconds);
    QCOMPARE(errors.size(), errorCount);
}

void TestClassificationOptions::threshold_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<int>("errorCount");
    QTest::newRow("set") << u"0.75"_s << 0.75 << 0;
    QTest::newRow("zero flags nothing") << u"0"_s << 0.0 << 0;
    QTest::newRow("above one") << u"1.5"_s << 0.6 << 1;
    QTest::newRow("not a number") << u"high"_s << 0.6 << 1;
}

void TestClassificationOptions::threshold()
{
    QFETCH(QString, value);
    QFETCH(double, threshold);
    QFETCH(int, errorCount);
    QSettings &file = settings();
    file.setValue(u"ai/review_threshold"_s, value);
    QStringList errors;
    QCOMPARE(
        ClassificationOptions::fromSettings(file, QProcessEnvironment(), &errors).reviewThreshold,
        threshold);
    QCOMPARE(errors.size(), errorCount);
}

void TestClassificationOptions::retrainAfterVerdicts()
{
    QSettings &file = settings();
    QStringList errors;
    file.setValue(u"ai/retrain_after_verdicts"_s, 0);
    QCOMPARE(ClassificationOptions::fromSettings(file, QProcessEnvironment(), &errors)
                 .retrainAfterVerdicts,
             0);
    file.setValue(u"ai/retrain_after_verdicts"_s, u"lots"_s);
    QCOMPARE(ClassificationOptions::fromSettings(file, QProcessEnvironment(), &errors)
                 .retrainAfterVerdicts,
             50);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.constFirst().contains(u"ai/retrain_after_verdicts"_s));
}

void TestClassificationOptions::localOnlyCategories()
{
    QSettings &file = settings();
    file.setValue(u"ai/local_only_categories"_s, u"billing, nonsense"_s);
    QStringList errors;
    const ClassificationOptions options =
        ClassificationOptions::fromSettings(file, QProcessEnvironment(), &errors);
    QCOMPARE(options.localOnlyCategories, QSet{Category::Billing});
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().contains(u"nonsense"_s));
}

void TestClassificationOptions::remoteComesFromTheEnvironment()
{
    QProcessEnvironment environment;
    environment.insert(u"SUPPORT_CONSOLE_AI_URL"_s, u"http://localhost:11434/v1"_s);
    environment.insert(u"SUPPORT_CONSOLE_AI_MODEL"_s, u"llama3.1"_s);
    QStringList errors;
    const ClassificationOptions options =
        ClassificationOptions::fromSettings(settings(), environment, &errors);
    QVERIFY(options.llm.isConfigured());
    QCOMPARE(options.llm.model, u"llama3.1"_s);
}

QTEST_GUILESS_MAIN(TestClassificationOptions)
#include "tst_classificationoptions.moc"
