#include "classificationoptions.h"

#include "settingskeys.h"

#include <QProcessEnvironment>
#include <QSettings>

namespace {

QStringList splitList(const QString &text)
{
    QStringList items = text.split(u',', Qt::SkipEmptyParts);
    for (QString &item : items)
        item = item.trimmed();
    items.removeAll(QString());
    return items;
}

QStringList listSetting(const QSettings &settings, const QString &key)
{
    // QSettings reads "a,b" from an INI file as a list but as one string elsewhere.
    const QVariant value = settings.value(key);
    return splitList(value.typeId() == QMetaType::QStringList ? value.toStringList().join(u',')
                                                              : value.toString());
}

} // namespace

ClassificationOptions ClassificationOptions::fromSettings(const QSettings &settings,
                                                          const QProcessEnvironment &environment,
                                                          QStringList *errors)
{
    ClassificationOptions options;
    const QString providersKey = SettingsKeys::aiProviders;
    const bool fromEnvironment = environment.contains(kProvidersVariable);
    if (fromEnvironment || settings.contains(providersKey)) {
        const QString source = fromEnvironment ? QString(kProvidersVariable) : providersKey;
        const QStringList names = fromEnvironment ? splitList(environment.value(kProvidersVariable))
                                                  : listSetting(settings, providersKey);
        QList<ClassificationProvider> order;
        for (const QString &name : names) {
            const auto provider = classificationProviderFromName(name);
            if (!provider || *provider == ClassificationProvider::Agent) {
                errors->append(
                    QStringLiteral("%1: unknown provider \"%2\" (remote, fasttext, rules)")
                        .arg(source, name));
                continue;
            }
            if (!order.contains(*provider))
                order.append(*provider);
        }
        if (!order.isEmpty())
            options.order = order;
    }
    const QString thresholdKey = SettingsKeys::aiReviewThreshold;
    if (settings.contains(thresholdKey)) {
        bool ok = false;
        const double threshold = settings.value(thresholdKey).toDouble(&ok);
        if (ok && threshold >= 0.0 && threshold <= 1.0)
            options.reviewThreshold = threshold;
        else
            errors->append(QStringLiteral("%1: must be a number from 0 to 1").arg(thresholdKey));
    }
    const QString localOnlyKey = SettingsKeys::aiLocalOnlyCategories;
    for (const QString &name : listSetting(settings, localOnlyKey)) {
        if (const auto category = categoryFromName(name))
            options.localOnlyCategories.insert(*category);
        else
            errors->append(QStringLiteral("%1: unknown category \"%2\"").arg(localOnlyKey, name));
    }
    if (environment.contains(kLeaseVariable)) {
        bool ok = false;
        const qint64 seconds = environment.value(kLeaseVariable).toLongLong(&ok);
        if (ok && seconds > 0)
            options.leaseDuration = std::chrono::seconds(seconds);
        else
            errors->append(QStringLiteral("%1: must be a whole number of seconds above 0")
                               .arg(kLeaseVariable));
    }
    const QString retrainKey = SettingsKeys::aiRetrainAfterVerdicts;
    if (settings.contains(retrainKey)) {
        bool ok = false;
        const int verdicts = settings.value(retrainKey).toInt(&ok);
        if (ok && verdicts >= 0)
            options.retrainAfterVerdicts = verdicts;
        else
            errors->append(
                QStringLiteral("%1: must be a whole number, 0 to turn it off").arg(retrainKey));
    }
    options.llm = LlmSettings::fromEnvironment(environment, &settings);
    return options;
}
