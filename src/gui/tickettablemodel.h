#pragma once

#include "ticket.h"
#include "ticketorder.h"
#include "ticketquery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <atomic>
#include <memory>
#include <optional>

class StorageThread;

// The ticket table over the whole database, filtered and sorted by SQL. It knows how many rows
// match and reads pages of them from the storage thread as the view asks, so a million tickets
// cost a few pages of memory. refresh() re-reads what is on screen and keeps the selection on
// the same tickets wherever they move.
class TicketTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        ReceivedColumn,
        SubjectColumn,
        CategoryColumn,
        ConfidenceColumn,
        PriorityColumn,
        StatusColumn,
        AssigneeColumn,
        NeedsReviewColumn,
        ColumnCount
    };
    enum Role {
        TicketIdRole = Qt::UserRole + 1,
        // The value behind the text, for sorting and charts: number, date or enum name.
        RawValueRole,
    };
    static constexpr int kPageSize = 100;

    explicit TicketTableModel(StorageThread *store, QObject *parent = nullptr);

    // Re-reads from the first page; the view shows the old rows until the new ones arrive.
    void setFilter(const TicketQuery &filter);
    const TicketQuery &filter() const { return m_filter; }
    TicketOrder order() const { return m_order; }
    void refresh();
    // The newest ticket the rows on screen were read with; later ones may not be shown yet.
    qint64 newestId() const { return m_newestId; }

    // Loaded rows only: null when the row's page has not arrived yet.
    const Ticket *ticketAt(int row) const;
    // The loaded row showing this ticket, or -1.
    int rowOfTicket(qint64 ticketId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    // A new filter or order is on screen, with its first page.
    void reloaded();
    // A refresh has been applied.
    void refreshed();

private:
    struct Snapshot
    {
        bool skipped = false; // a newer reload made this one pointless
        qint64 count = 0;
        qint64 newestId = 0;
        QHash<qint64, qint64> positions; // ticket id -> row, -1 when it left the filter
        QHash<int, QList<Ticket>> pages;
    };

    void reload();
    void requestPage(int page) const;
    void storePage(int page, QList<Ticket> tickets);
    void applySnapshot(const Snapshot &snapshot);
    void forgetOldPages();
    QVariant display(const Ticket &ticket, int column) const;
    QVariant rawValue(const Ticket &ticket, int column) const;

    StorageThread *m_store;
    TicketQuery m_filter;
    TicketOrder m_order;
    qint64 m_count = 0;
    qint64 m_newestId = 0;
    // Results of reads started before the last filter, order or refresh change are dropped.
    quint64 m_generation = 0;
    // The newest reload asked for, shared with the storage thread so it skips older ones.
    std::shared_ptr<std::atomic<quint64>> m_latestReload =
        std::make_shared<std::atomic<quint64>>(0);
    bool m_refreshRunning = false;
    bool m_reloading = false;
    bool m_refreshAgain = false;
    QHash<int, QList<Ticket>> m_pages;
    mutable QHash<int, quint64> m_pageUse;
    mutable quint64 m_useClock = 0;
    mutable QSet<int> m_pagesRequested;
};
