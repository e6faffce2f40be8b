#pragma once

#include <QObject>
#include <QString>

class QAbstractItemModel;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class StorageThread;

// What the admins' list dialogs (users, tokens) have in common: a table of a few records sorted
// on the model's raw values, the line that says how the last change went, and the count of the
// dialog's calls still running on the storage thread.
class AdminListPanel final : public QObject
{
    Q_OBJECT

public:
    // stretchColumn takes the width the other columns, as wide as their text, leave.
    AdminListPanel(QTableView *table, QAbstractItemModel *model, int rawValueRole,
                   int stretchColumn, QLabel *messageLabel, StorageThread &store, QObject *parent);
    Q_DISABLE_COPY_MOVE(AdminListPanel)

    // The selected record's row in the model, or -1.
    int selectedRow() const;

    // Returns the read's number: answers of separate calls may arrive in any order, and only
    // the latest read's list is to be shown (isLatestRead()).
    int readStarted();
    bool isLatestRead(int read) const { return read == m_reads; }
    // Unlike a read, a change forgets what an earlier call failed with.
    void changeStarted();
    void callFinished();
    // No call is running, so the buttons that start one may be used.
    bool idle() const { return m_pending == 0; }
    // Why a call got no answer: what the storage thread reported while the dialog's calls ran.
    const QString &storageProblem() const { return m_storageProblem; }

    void showMessage(const QString &text, bool problem);

private:
    QTableView *m_table;
    QSortFilterProxyModel *m_sorted;
    QLabel *m_messageLabel;
    int m_pending = 0;
    int m_reads = 0;
    QString m_storageProblem;
};
