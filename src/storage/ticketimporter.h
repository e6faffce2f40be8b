#pragma once

#include "database.h"

#include <QDateTime>
#include <QIODevice>
#include <QObject>

#include <optional>

// Imports tickets from the public dataset's CSV format in one transaction: all or nothing,
// skipping rows already imported and reporting (not storing) malformed ones.
class TicketImporter final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // Empty imports every language.
        QString language = QStringLiteral("en");
        std::optional<qint64> limit;
        int spreadDays = 30;
        QDateTime now = QDateTime::currentDateTimeUtc();
    };

    struct RejectedRow
    {
        qint64 line = 0;
        QString reason;
    };

    struct Summary
    {
        qint64 read = 0;
        qint64 imported = 0;
        qint64 alreadyImported = 0;
        qint64 otherLanguage = 0;
        QList<RejectedRow> rejected;
    };

    explicit TicketImporter(const Database &database, QObject *parent = nullptr);

    // Throws StorageError when the file cannot be imported at all; nothing is stored then.
    Summary import(QIODevice *device, const Options &options);

Q_SIGNALS:
    void progressed(qint64 rowsRead, qint64 bytesRead);

private:
    const Database &m_database;
};
