#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

// A table over a short list of records with database ids (users, tokens), read whole again
// after each change an admin makes. replaceRows() turns the new list into row removals,
// changes and inserts rather than a reset, so the view keeps its selection, its sort and its
// scroll position; views sort through a QSortFilterProxyModel on the subclass's raw values.
template<typename Row> class KeyedListModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    // Null for a row the model does not have.
    const Row *rowAt(int row) const
    {
        return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
    }

    void replaceRows(const QList<Row> &rows)
    {
        QHash<qint64, qsizetype> fresh;
        for (qsizetype i = 0; i < rows.size(); ++i)
            fresh.insert(rows.at(i).id, i);
        for (qsizetype i = m_rows.size() - 1; i >= 0; --i) {
            if (fresh.contains(m_rows.at(i).id))
                continue;
            beginRemoveRows({}, int(i), int(i));
            m_rows.removeAt(i);
            endRemoveRows();
        }
        QHash<qint64, qsizetype> shown;
        for (qsizetype i = 0; i < m_rows.size(); ++i)
            shown.insert(m_rows.at(i).id, i);
        QList<Row> added;
        for (const Row &row : rows) {
            const auto at = shown.constFind(row.id);
            if (at == shown.cend()) {
                added.append(row);
                continue;
            }
            m_rows[*at] = row;
            Q_EMIT dataChanged(index(int(*at), 0), index(int(*at), columnCount() - 1));
        }
        if (added.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        endInsertRows();
    }

private:
    QList<Row> m_rows;
};
