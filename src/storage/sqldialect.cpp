#include "sqldialect.h"

QString SqlDialect::withDefaultOptions(const QString &given, const QStringList &defaults)
{
    QStringList options;
    QStringList keys;
    for (const QString &option : given.split(u';', Qt::SkipEmptyParts)) {
        const QString trimmed = option.trimmed();
        if (trimmed.isEmpty())
            continue;
        options.append(trimmed);
        keys.append(trimmed.section(u'=', 0, 0).trimmed());
    }
    for (const QString &option : defaults) {
        if (!keys.contains(option.section(u'=', 0, 0)))
            options.append(option);
    }
    return options.join(u';');
}
