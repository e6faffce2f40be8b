#include "llmsettings.h"

#include <QProcessEnvironment>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {

constexpr QLatin1StringView kChatCompletionsPath{"/chat/completions"};

QString firstNonEmpty(const QProcessEnvironment &environment, QLatin1StringView variable,
                      const QSettings *settings, QLatin1StringView settingsKey)
{
    const QString fromEnvironment = environment.value(variable).trimmed();
    if (!fromEnvironment.isEmpty() || settings == nullptr)
        return fromEnvironment;
    return settings->value(settingsKey).toString().trimmed();
}

} // namespace

bool LlmSettings::isConfigured() const
{
    const QString scheme = baseUrl.scheme();
    return baseUrl.isValid() && !baseUrl.host().isEmpty() &&
           (scheme == "http"_L1 || scheme == "https"_L1) && !model.trimmed().isEmpty();
}

QUrl LlmSettings::chatCompletionsUrl() const
{
    QUrl url = baseUrl;
    QString path = url.path();
    if (path.endsWith(kChatCompletionsPath))
        return url;
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + kChatCompletionsPath);
    return url;
}

QString LlmSettings::describe() const
{
    // User info and query can carry credentials on some gateways, so they never reach a log.
    const QString url = chatCompletionsUrl().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery |
                                                      QUrl::RemoveFragment);
    return u"model %1 at %2 (%3)"_s.arg(model, url,
                                        apiKey.isEmpty() ? u"no API key"_s : u"API key set"_s);
}

LlmSettings LlmSettings::fromEnvironment(const QProcessEnvironment &environment,
                                         const QSettings *settings)
{
    LlmSettings result;
    const QString url = firstNonEmpty(environment, kUrlVariable, settings, kUrlSettingsKey);
    if (!url.isEmpty())
        result.baseUrl = QUrl(url, QUrl::StrictMode);
    result.model = firstNonEmpty(environment, kModelVariable, settings, kModelSettingsKey);
    // Deliberately no settings fallback for the key: a key in a settings file is a key in
    // backups and bug reports.
    result.apiKey = environment.value(kKeyVariable).trimmed();
    if (result.apiKey.isEmpty())
        result.apiKey = environment.value(kOpenAiKeyVariable).trimmed();
    return result;
}
