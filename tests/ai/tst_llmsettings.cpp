#include "llmsettings.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestLlmSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void unsetMeansNotConfigured();
    void environmentWinsOverSettings();
    void settingsFillWhatTheEnvironmentLacks();
    void keyComesOnlyFromTheEnvironment_data();
    void keyComesOnlyFromTheEnvironment();
    void isConfigured_data();
    void isConfigured();
    void endpoint_data();
    void endpoint();
    void describeNeverShowsTheKey();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void TestLlmSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings =
        std::make_unique<QSettings>(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
}

void TestLlmSettings::unsetMeansNotConfigured()
{
    const LlmSettings settings = LlmSettings::fromEnvironment(QProcessEnvironment(), nullptr);
    QVERIFY(!settings.isConfigured());
    QVERIFY(settings.apiKey.isEmpty());
    const LlmSettings fromEmptySettings =
        LlmSettings::fromEnvironment(QProcessEnvironment(), m_settings.get());
    QVERIFY(!fromEmptySettings.isConfigured());
}

void TestLlmSettings::environmentWinsOverSettings()
{
    m_settings->setValue(LlmSettings::kUrlSettingsKey, u"http://settings.example/v1"_s);
    m_settings->setValue(LlmSettings::kModelSettingsKey, u"settings-model"_s);
    QProcessEnvironment environment;
    environment.insert(LlmSettings::kUrlVariable, u"http://localhost:11434/v1"_s);
    environment.insert(LlmSettings::kModelVariable, u"llama3.1"_s);

    const LlmSettings settings = LlmSettings::fromEnvironment(environment, m_settings.get());
    QCOMPARE(settings.baseUrl, QUrl(u"http://localhost:11434/v1"_s));
    QCOMPARE(settings.model, u"llama3.1"_s);
    QVERIFY(settings.isConfigured());
}

void TestLlmSettings::settingsFillWhatTheEnvironmentLacks()
{
    m_settings->setValue(LlmSettings::kUrlSettingsKey, u"https://api.openai.com/v1"_s);
    m_settings->setValue(LlmSettings::kModelSettingsKey, u"settings-model"_s);
    QProcessEnvironment environment;
    environment.insert(LlmSettings::kModelVariable, u"gpt-4o-mini"_s);
    // Blank counts as unset, so an exported but empty variable does not hide the settings.
    environment.insert(LlmSettings::kUrlVariable, u"  "_s);

    const LlmSettings settings = LlmSettings::fromEnvironment(environment, m_settings.get());
    QCOMPARE(settings.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
    QCOMPARE(settings.model, u"gpt-4o-mini"_s);
}

void TestLlmSettings::keyComesOnlyFromTheEnvironment_data()
{
    QTest::addColumn<QString>("consoleKey");
    QTest::addColumn<QString>("openAiKey");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << QString() << QString() << QString();
    QTest::newRow("console key") << u"sk-console"_s << QString() << u"sk-console"_s;
    QTest::newRow("openai fallback") << QString() << u"sk-openai"_s << u"sk-openai"_s;
    QTest::newRow("console key first") << u"sk-console"_s << u"sk-openai"_s << u"sk-console"_s;
}

void TestLlmSettings::keyComesOnlyFromTheEnvironment()
{
    QFETCH(QString, consoleKey);
    QFETCH(QString, openAiKey);
    QFETCH(QString, expected);

    // A key planted in the settings file is never read.
    m_settings->setValue(u"ai/key"_s, u"sk-from-settings"_s);
    m_settings->setValue(u"ai/api_key"_s, u"sk-from-settings"_s);
    QProcessEnvironment environment;
    if (!consoleKey.isEmpty())
        environment.insert(LlmSettings::kKeyVariable, consoleKey);
    if (!openAiKey.isEmpty())
        environment.insert(LlmSettings::kOpenAiKeyVariable, openAiKey);

    const LlmSettings settings = LlmSettings::fromEnvironment(environment, m_settings.get());
    QCOMPARE(settings.apiKey, expected);
}

void TestLlmSettings::isConfigured_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("configured");

    QTest::newRow("openai") << u"https://api.openai.com/v1"_s << u"gpt-4o-mini"_s << true;
    QTest::newRow("ollama") << u"http://localhost:11434/v1"_s << u"llama3.1"_s << true;
    QTest::newRow("no model") << u"http://localhost:11434/v1"_s << QString() << false;
    QTest::newRow("blank model") << u"http://localhost:11434/v1"_s << u" "_s << false;
    QTest::newRow("no url") << QString() << u"llama3.1"_s << false;
    QTest::newRow("no scheme") << u"localhost:11434/v1"_s << u"llama3.1"_s << false;
    QTest::newRow("ftp") << u"ftp://example.com/v1"_s << u"llama3.1"_s << false;
}

void TestLlmSettings::isConfigured()
{
    QFETCH(QString, url);
    QFETCH(QString, model);
    QFETCH(bool, configured);

    LlmSettings settings;
    settings.baseUrl = QUrl(url);
    settings.model = model;
    QCOMPARE(settings.isConfigured(), configured);
}

void TestLlmSettings::endpoint_data()
{
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("endpoint");

    QTest::newRow("v1") << u"https://api.openai.com/v1"_s
                        << u"https://api.openai.com/v1/chat/completions"_s;
    QTest::newRow("trailing slash")
        << u"http://localhost:11434/v1/"_s << u"http://localhost:11434/v1/chat/completions"_s;
    QTest::newRow("root") << u"http://127.0.0.1:8000"_s
                          << u"http://127.0.0.1:8000/chat/completions"_s;
    QTest::newRow("already complete") << u"http://gw.example/openai/chat/completions"_s
                                      << u"http://gw.example/openai/chat/completions"_s;
    QTest::newRow("query kept")
        << u"https://gw.example/v1?api-version=2024-06-01"_s
        << u"https://gw.example/v1/chat/completions?api-version=2024-06-01"_s;
}

void TestLlmSettings::endpoint()
{
    QFETCH(QString, baseUrl);
    QFETCH(QString, endpoint);

    LlmSettings settings;
    settings.baseUrl = QUrl(baseUrl);
    QCOMPARE(settings.chatCompletionsUrl(), QUrl(endpoint));
}

void TestLlmSettings::describeNeverShowsTheKey()
{
    LlmSettings settings;
    settings.baseUrl = QUrl(u"https://user:sk-in-url@gw.example/v1?key=sk-in-query"_s);
    settings.model = u"gpt-4o-mini"_s;
    settings.apiKey = u"sk-secret-123"_s;
    const QString description = settings.describe();
    QVERIFY(description.contains(u"gpt-4o-mini"_s));
    QVERIFY(description.contains(u"gw.example/v1/chat/completions"_s));
    QVERIFY(description.contains(u"API key set"_s));
    QVERIFY(!description.contains(u"sk-"_s));
}

QTEST_GUILESS_MAIN(TestLlmSettings)
#include "tst_llmsettings.moc"
