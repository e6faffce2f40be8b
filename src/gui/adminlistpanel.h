#pragma once

#include "submitformdialog.h"

#include <QObject>
#include <QString>

#include <optional>
#include <variant>

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

    // After a call that makes a record or says why it would not: when nothing was made, shows
    // the reason in the form (below the list when the form was closed meanwhile) and returns
    // false; otherwise closes the form.
    template<typename Made>
    bool settleForm(const std::optional<std::variant<Made, QString>> &answer,
                    SubmitFormDialog *form)
    {
        const QString problem =
            !answer ? tr("The database did not answer: %1").arg(m_storageProblem)
            : std::holds_alternative<QString>(*answer) ? std::get<QString>(*answer)
                                                       : QString();
        if (problem.isEmpty()) {
            if (form)
                form->finish();
            return true;
        }
        if (form)
            form->showProblem(problem);
        else
            showMessage(problem, true);
        return false;
    }

private:
    QTableView *m_table;
    QSortFilterProxyModel *m_sorted;
    QLabel *m_messageLabel;
    int m_pending = 0;
    int m_reads = 0;
    QString m_storageProblem;
};
