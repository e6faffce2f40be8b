#include "adminlistpanel.h"

#include "storagethread.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>

AdminListPanel::AdminListPanel(QTableView *table, QAbstractItemModel *model, int rawValueRole,
                               int stretchColumn, QLabel *messageLabel, StorageThread &store,
                               QObject *parent)
    : QObject(parent)
    , m_table(table)
    , m_sorted(new QSortFilterProxyModel(this))
    , m_messageLabel(messageLabel)
{
    m_messageLabel->hide();
    m_sorted->setSourceModel(model);
    m_sorted->setSortRole(rawValueRole);
    m_sorted->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_sorted);
    // A few rows: columns as wide as their text, one taking what is left.
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    // The thread is shared with the window's counts; only failures during our calls are ours.
    connect(&store, &StorageThread::storageFailed, this, [this](const QString &message) {
        if (m_pending > 0)
            m_storageProblem = message;
    });
}

int AdminListPanel::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_sorted->mapToSource(rows.constFirst()).row();
}

int AdminListPanel::readStarted()
{
    ++m_pending;
    return ++m_reads;
}

void AdminListPanel::changeStarted()
{
    ++m_pending;
    m_storageProblem.clear();
}

void AdminListPanel::callFinished()
{
    --m_pending;
}

void AdminListPanel::showMessage(const QString &text, bool problem)
{
    QPalette palette = m_messageLabel->palette();
    // The label's own colour may still be an earlier problem's red; the dialog's is the plain one.
    const QColor plain = m_messageLabel->parentWidget()->palette().color(QPalette::WindowText);
    palette.setColor(QPalette::WindowText, problem ? QColor(0xC0, 0x39, 0x2B) : plain);
    m_messageLabel->setPalette(palette);
    m_messageLabel->setText(text);
    m_messageLabel->show();
}
