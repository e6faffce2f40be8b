#include "datasetcsvformat.h"

#include <QCryptographicHash>

const QStringList &DatasetCsvFormat::requiredColumns()
{
    static const QStringList columns{QStringLiteral("subject"),  QStringLiteral("body"),
                                     QStringLiteral("answer"),   QStringLiteral("queue"),
                                     QStringLiteral("priority"), QStringLiteral("language")};
    return columns;
}

DatasetCsvFormat::DatasetCsvFormat(const QStringList &header)
    : m_columnCount(header.size())
{
    for (qsizetype i = 0; i < header.size(); ++i)
        m_columnIndex.insert(header.at(i).trimmed().toLower(), i);
}

QStringList DatasetCsvFormat::missingColumns() const
{
    QStringList missing;
    for (const QString &name : requiredColumns()) {
        if (!m_columnIndex.contains(name))
            missing.append(name);
    }
    return missing;
}

QString DatasetCsvFormat::column(const QStringList &fields, const QString &name) const
{
    // One published version writes newlines as the two characters backslash and n.
    QString value = fields.value(m_columnIndex.value(name));
    value.replace(QLatin1String("\\n"), QLatin1String("\n"));
    return value.trimmed();
}

Validated<TicketDraft> DatasetCsvFormat::draftFromRow(const QStringList &fields) const
{
    Q_ASSERT(isValid());
    if (fields.size() != m_columnCount) {
        return {{},
                {{QStringLiteral("row"), QStringLiteral("has %1 fields where the header has %2")
                                             .arg(fields.size())
                                             .arg(m_columnCount)}}};
    }
    TicketDraft draft = TicketDraft::fromSubjectAndBody(column(fields, QStringLiteral("subject")),
                                                        column(fields, QStringLiteral("body")),
                                                        TicketSource::Import);
    draft.dataset = DatasetInfo{column(fields, QStringLiteral("queue")),
                                column(fields, QStringLiteral("priority")),
                                column(fields, QStringLiteral("language")).toLower(),
                                column(fields, QStringLiteral("answer"))};
    return {draft, draft.validate()};
}

QByteArray DatasetCsvFormat::contentKey(const TicketDraft &draft)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const DatasetInfo info = draft.dataset.value_or(DatasetInfo{});
    for (const QString &part :
         {draft.subject, draft.body, info.answer, info.queue, info.priority, info.language}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\x1f", 1));
    }
    return hash.result().left(16).toHex();
}
