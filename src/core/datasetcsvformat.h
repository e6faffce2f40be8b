#pragma once

#include "fielderror.h"
#include "ticketdraft.h"

#include <QHash>
#include <QStringList>

// The CSV layout of the public customer-support-tickets dataset (all published versions): finds
// the columns by header name and turns one row into a ticket draft.
class DatasetCsvFormat final
{
public:
    static const QStringList &requiredColumns();

    explicit DatasetCsvFormat(const QStringList &header);

    QStringList missingColumns() const;
    bool isValid() const { return missingColumns().isEmpty(); }

    // Only for a valid header. Errors name the column that is wrong ("body", or "row" for a
    // row whose field count does not match the header).
    Validated<TicketDraft> draftFromRow(const QStringList &fields) const;

    // A stable fingerprint of a row's content, so importing a file twice stores nothing twice.
    static QByteArray contentKey(const TicketDraft &draft);

private:
    QString column(const QStringList &fields, const QString &name) const;

    QHash<QString, qsizetype> m_columnIndex;
    qsizetype m_columnCount = 0;
};
