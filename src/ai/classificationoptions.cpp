#include "classificationoptions.h"

#include <QSettings>

namespace {

QStringList listSetting(const QSettings &settings, const QString &key)
{
    // QSettings reads "a,b" from an INI file as a list but as one string elsewhere.
    const QVariant value = settings.value(key);
    QStringList items = value.typeId() == QMetaType::QStringList
                            ? value.toStringList()
                            : value.toString().split(u',', Qt::SkipEmptyParts);
    for (QString &item : items)
        item = item.trimmed();
    items.removeAll(QString());
    return items;
}

} // namespace

ClassificationOptions ClassificationOptions::fromSettings(const QSettings &settings,
                                                          QStringList *errors)
{
    ClassificationOptions options;
    const QString providersKey = QStringLiteral("ai/providers");
    if (settings.contains(providersKey)) {
        QList<ClassificationProvider> order;
        for (const QString &name : listSetting(settings, providersKey)) {
            const auto provider = classificationProviderFromName(name);
            if (!provider || *provider == ClassificationProvider::Agent) {
                errors->append(
                    QStringLiteral("%1: unknown provider \"%2\" (remote, fasttext, rules)")
                        .arg(providersKey, name));
                continue;
            }
            if (!order.contains(*provider))
                order.append(*provider);
        }
        if (!order.isEmpty())
            options.order = order;
    }
    const QString thresholdKey = QStringLiteral("ai/review_threshold");
    if (settings.contains(thresholdKey)) {
        bool ok = false;
        const double threshold = settings.value(thresholdKey).toDouble(&ok);
        if (ok && threshold >= 0.0 && threshold <= 1.0)
            options.reviewThreshold = threshold;
        else
            errors->append(QStringLiteral("%1: must be a number from 0 to 1").arg(thresholdKey));
    }
    const QString localOnlyKey = QStringLiteral("ai/local_only_categories");
    for (const QString &name : listSetting(settings, localOnlyKey)) {
        if (const auto category = categoryFromName(name))
            options.localOnlyCategories.insert(*category);
        else
            errors->append(QStringLiteral("%1: unknown category \"%2\"").arg(localOnlyKey, name));
    }
    return options;
}
