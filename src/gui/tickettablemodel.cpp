#include "tickettablemodel.h"

#include "categorypalette.h"
#include "storagethread.h"
#include "ticketlabels.h"

#include <QColor>
#include <QFuture>

namespace {

// Enough for several screens of scrolling back and forth; older pages are read again if needed.
constexpr int kMaxCachedPages = 40;
// Pages a refresh reads again: the ones the view used last, which include what is on screen.
constexpr int kRefreshedPages = 3;

TicketOrder::Key keyForColumn(int column)
{
    switch (column) {
    case TicketTableModel::IdColumn:
        return TicketOrder::Key::Id;
    case TicketTableModel::SubjectColumn:
        return TicketOrder::Key::Subject;
    case TicketTableModel::CategoryColumn:
        return TicketOrder::Key::Category;
    case TicketTableModel::ConfidenceColumn:
        return TicketOrder::Key::Confidence;
    case TicketTableModel::PriorityColumn:
        return TicketOrder::Key::Priority;
    case TicketTableModel::StatusColumn:
        return TicketOrder::Key::Status;
    case TicketTableModel::AssigneeColumn:
        return TicketOrder::Key::Assignee;
    case TicketTableModel::NeedsReviewColumn:
        return TicketOrder::Key::NeedsReview;
    default:
        return TicketOrder::Key::Received;
    }
}

} // namespace

TicketTableModel::TicketTableModel(StorageThread *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    reload();
}

void TicketTableModel::setFilter(const TicketQuery &filter)
{
    m_filter = filter;
    reload();
}

void TicketTableModel::sort(int column, Qt::SortOrder order)
{
    const TicketOrder newOrder{keyForColumn(column), order};
    if (newOrder == m_order)
        return;
    m_order = newOrder;
    reload();
}

void TicketTableModel::reload()
{
    const quint64 generation = ++m_generation;
    const quint64 reload = ++*m_latestReload;
    m_pagesRequested.clear();
    m_refreshAgain = false;
    m_reloading = true;
    m_store
        ->run([filter = m_filter, order = m_order, reload,
               latest = m_latestReload](TicketSession &session) {
            Snapshot snapshot;
            // A search typed in several pauses queues several reloads; only the last counts.
            if (reload != latest->load()) {
                snapshot.skipped = true;
                return snapshot;
            }
            const ReadSnapshot consistent = session.readSnapshot();
            snapshot.newestId = session.newestId();
            TicketRepository::CountedRange first =
                session.countedRange(filter, order, 0, kPageSize);
            snapshot.count = first.count;
            snapshot.pages.insert(0, std::move(first.tickets));
            return snapshot;
        })
        .then(this, [this, generation](std::optional<Snapshot> result) {
            // A future that finished before then() was attached runs this at once, inside
            // reload(): in the constructor, nobody could have heard reloaded() yet.
            QMetaObject::invokeMethod(
                this,
                [this, generation, result = std::move(result)] {
                    if (generation != m_generation || (result && result->skipped))
                        return;
                    m_reloading = false;
                    // storageFailed() said why a load failed; the old rows stay.
                    if (result) {
                        beginResetModel();
                        m_count = result->count;
                        m_newestId = result->newestId;
                        m_pages = result->pages;
                        m_pageUse.clear();
                        m_pagesRequested.clear();
                        endResetModel();
                        Q_EMIT reloaded();
                    }
                    // Changes heard of while this load ran may have missed it.
                    if (std::exchange(m_refreshAgain, false))
                        refresh();
                },
                Qt::QueuedConnection);
        });
}

void TicketTableModel::refresh()
{
    // One refresh at a time, and none during a reload, whose reset it would race with;
    // changes heard of meanwhile are picked up by one more after it.
    if (m_refreshRunning || m_reloading) {
        m_refreshAgain = true;
        return;
    }
    // Each tracked ticket costs a count on the storage thread; the current row and the corners
    // of a few selections are what the agent sees move.
    constexpr qsizetype kMaxTracked = 64;
    QList<qint64> tracked;
    for (const QModelIndex &index : persistentIndexList()) {
        const Ticket *ticket = ticketAt(index.row());
        if (ticket && !tracked.contains(ticket->id))
            tracked.append(ticket->id);
        if (tracked.size() == kMaxTracked)
            break;
    }
    QList<int> pages = m_pages.keys();
    std::sort(pages.begin(), pages.end(),
              [this](int a, int b) { return m_pageUse.value(a) > m_pageUse.value(b); });
    pages.resize(std::min<qsizetype>(pages.size(), kRefreshedPages));
    if (pages.isEmpty())
        pages.append(0);

    m_refreshRunning = true;
    const quint64 generation = m_generation;
    m_store
        ->run([filter = m_filter, order = m_order, tracked, pages](TicketSession &session) {
            const ReadSnapshot consistent = session.readSnapshot();
            Snapshot snapshot;
            snapshot.newestId = session.newestId();
            snapshot.count = session.count(filter);
            for (const qint64 id : tracked)
                snapshot.positions.insert(id, session.position(filter, order, id).value_or(-1));
            for (const int page : pages) {
                snapshot.pages.insert(
                    page, session.range(filter, order, qint64(page) * kPageSize, kPageSize));
            }
            return snapshot;
        })
        .then(this, [this, generation](const std::optional<Snapshot> &snapshot) {
            m_refreshRunning = false;
            if (snapshot && generation == m_generation)
                applySnapshot(*snapshot);
            if (std::exchange(m_refreshAgain, false))
                refresh();
        });
}

void TicketTableModel::applySnapshot(const Snapshot &snapshot)
{
    // Rows are added or removed at the end and then every tracked ticket is moved to its new
    // row in one layout change, so selections and the current row follow their tickets.
    const qint64 oldCount = m_count;
    if (snapshot.count > oldCount) {
        beginInsertRows({}, int(oldCount), int(snapshot.count - 1));
        m_count = snapshot.count;
        endInsertRows();
    }

    // No sort hint: with one, the selection model would keep a persistent index for every
    // selected row (a million after Ctrl+A) instead of the corners of each selected range.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    // Tickets the refresh did not track (selected while it ran) are looked for in its pages.
    QHash<qint64, qint64> rowsInPages;
    for (auto page = snapshot.pages.cbegin(); page != snapshot.pages.cend(); ++page) {
        for (qsizetype i = 0; i < page->size(); ++i)
            rowsInPages.insert(page->at(i).id, qint64(page.key()) * kPageSize + i);
    }
    for (const QModelIndex &index : before) {
        const Ticket *ticket = ticketAt(index.row());
        qint64 row = index.row();
        if (ticket) {
            row = snapshot.positions.value(ticket->id, rowsInPages.value(ticket->id, index.row()));
        }
        after.append(row >= 0 && row < snapshot.count ? createIndex(int(row), index.column())
                                                      : QModelIndex());
    }
    changePersistentIndexList(before, after);
    ++m_generation;
    m_newestId = snapshot.newestId;
    m_pages = snapshot.pages;
    m_pageUse.clear();
    m_pagesRequested.clear();
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);

    if (snapshot.count < m_count) {
        beginRemoveRows({}, int(snapshot.count), int(m_count - 1));
        m_count = snapshot.count;
        endRemoveRows();
    }
    Q_EMIT refreshed();
}

void TicketTableModel::requestPage(int page) const
{
    // While a new filter or order loads, the rows on screen still belong to the old one: pages
    // of the new one would mix in. The reset that follows asks again.
    if (m_reloading || m_pagesRequested.contains(page))
        return;
    m_pagesRequested.insert(page);
    // data() is const but a page arriving changes the cache, as QAbstractItemModel's own
    // fetchMore() would; the model is the only owner of that cache.
    auto *self = const_cast<TicketTableModel *>(this);
    const quint64 generation = m_generation;
    m_store
        ->run([filter = m_filter, order = m_order, page](TicketSession &session) {
            return session.range(filter, order, qint64(page) * kPageSize, kPageSize);
        })
        .then(self, [self, generation, page](std::optional<QList<Ticket>> tickets) {
            // A future that finished before then() was attached runs this at once, inside
            // data(); the view must not hear of new rows while it paints.
            QMetaObject::invokeMethod(
                self,
                [self, generation, page, tickets = std::move(tickets)]() mutable {
                    if (!tickets)
                        self->m_pagesRequested.remove(page); // asked again when next shown
                    else if (generation == self->m_generation)
                        self->storePage(page, std::move(*tickets));
                },
                Qt::QueuedConnection);
        });
}

void TicketTableModel::storePage(int page, QList<Ticket> tickets)
{
    m_pagesRequested.remove(page);
    m_pages.insert(page, std::move(tickets));
    m_pageUse.insert(page, ++m_useClock);
    forgetOldPages();
    const int first = page * kPageSize;
    const int last = int(std::min<qint64>(m_count, qint64(first) + kPageSize)) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

void TicketTableModel::forgetOldPages()
{
    while (m_pages.size() > kMaxCachedPages) {
        int oldest = m_pages.cbegin().key();
        for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it) {
            if (m_pageUse.value(it.key()) < m_pageUse.value(oldest))
                oldest = it.key();
        }
        m_pages.remove(oldest);
        m_pageUse.remove(oldest);
    }
}

const Ticket *TicketTableModel::ticketAt(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    const auto page = m_pages.constFind(row / kPageSize);
    if (page == m_pages.cend() || row % kPageSize >= page->size())
        return nullptr;
    return &page->at(row % kPageSize);
}

int TicketTableModel::rowOfTicket(qint64 ticketId) const
{
    for (auto page = m_pages.cbegin(); page != m_pages.cend(); ++page) {
        for (qsizetype i = 0; i < page->size(); ++i) {
            if (page->at(i).id == ticketId)
                return int(page.key() * kPageSize + i);
        }
    }
    return -1;
}

int TicketTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_count);
}

int TicketTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int page = index.row() / kPageSize;
    const Ticket *ticket = ticketAt(index.row());
    if (!ticket) {
        requestPage(page);
        if (role == Qt::DisplayRole && index.column() == SubjectColumn)
            return tr("Loading…");
        return {};
    }
    m_pageUse.insert(page, ++m_useClock);

    switch (role) {
    case Qt::DisplayRole:
        return display(*ticket, index.column());
    case Qt::ToolTipRole:
        // QToolTip renders anything that looks like markup: escape the customer's words.
        return index.column() == SubjectColumn
                   ? QVariant(u"<p>" + TicketLabels::headline(*ticket).toHtmlEscaped() + u"</p>")
                   : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == ConfidenceColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DecorationRole:
        if (index.column() == CategoryColumn)
            return ticket->category ? CategoryPalette::color(*ticket->category)
                                    : CategoryPalette::unclassifiedColor();
        return {};
    case Qt::AccessibleTextRole:
        return display(*ticket, index.column());
    case TicketIdRole:
        return ticket->id;
    case RawValueRole:
        return rawValue(*ticket, index.column());
    default:
        return {};
    }
}

QVariant TicketTableModel::display(const Ticket &ticket, int column) const
{
    switch (column) {
    case IdColumn:
        return QString::number(ticket.id);
    case ReceivedColumn:
        return TicketLabels::received(ticket.createdAt);
    case SubjectColumn:
        return TicketLabels::headline(ticket);
    case CategoryColumn:
        return TicketLabels::category(ticket);
    case ConfidenceColumn:
        return ticket.classification ? TicketLabels::confidence(ticket.classification->confidence)
                                     : QString();
    case PriorityColumn:
        return ticket.classification ? TicketLabels::priority(ticket.classification->priority)
                                     : QString();
    case StatusColumn:
        return TicketLabels::status(ticket.status);
    case AssigneeColumn:
        return ticket.assignee;
    case NeedsReviewColumn:
        return ticket.needsReview ? tr("Review") : QString();
    default:
        return {};
    }
}

QVariant TicketTableModel::rawValue(const Ticket &ticket, int column) const
{
    switch (column) {
    case IdColumn:
        return ticket.id;
    case ReceivedColumn:
        return ticket.createdAt;
    case SubjectColumn:
        return ticket.subject;
    case CategoryColumn:
        return ticket.category ? QVariant(QString(categoryName(*ticket.category))) : QVariant();
    case ConfidenceColumn:
        return ticket.classification ? QVariant(ticket.classification->confidence) : QVariant();
    case PriorityColumn:
        return ticket.classification
                   ? QVariant(QString(priorityName(ticket.classification->priority)))
                   : QVariant();
    case StatusColumn:
        return QString(ticketStatusName(ticket.status));
    case AssigneeColumn:
        return ticket.assignee; // nobody's as an empty name, which sorts first as in SQL
    case NeedsReviewColumn:
        return ticket.needsReview;
    default:
        return {};
    }
}

QVariant TicketTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    // The short header, in full where a pointer or a screen reader asks.
    if (orientation == Qt::Horizontal && section == NeedsReviewColumn &&
        (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole)) {
        return tr("Needs review");
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("ID");
    case ReceivedColumn:
        return tr("Received");
    case SubjectColumn:
        return tr("Subject");
    case CategoryColumn:
        return tr("Category");
    case ConfidenceColumn:
        return tr("Confidence");
    case PriorityColumn:
        return tr("Priority");
    case StatusColumn:
        return tr("Status");
    case AssigneeColumn:
        return tr("Assigned to");
    case NeedsReviewColumn:
        return tr("Review");
    default:
        return {};
    }
}
