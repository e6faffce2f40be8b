#pragma once

#include "mainwindow.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QPushButton>
#include <QTableView>
#include <QTest>

// What the tests of the admins' list dialogs (users, tokens) do alike: open the dialog from the
// window's menu, open a form with one of its buttons, and find a record's row by its name.

// Shows the window, triggers the menu action and waits for the dialog's first list; null, with a
// warning saying which step failed, when one did.
template<typename Dialog> Dialog *openAdminDialog(MainWindow &window, const QString &action)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        qWarning("the window did not show");
        return nullptr;
    }
    window.findChild<QAction *>(action)->trigger();
    Dialog *dialog = window.findChild<Dialog *>();
    if (!dialog) {
        qWarning("no dialog");
        return nullptr;
    }
    // Opening the dialog may already run the event loop, so its first list is awaited in the
    // model rather than with a spy made too late.
    if (!QTest::qWaitFor([&] { return dialog->model()->rowCount() > 0; }, 10'000)) {
        qWarning("the list was not read");
        return nullptr;
    }
    return dialog;
}

// Clicks the dialog's button and waits for the form it opens; null when none opens.
template<typename Form> Form *clickForForm(QWidget *dialog, const QString &button)
{
    QTest::mouseClick(dialog->findChild<QPushButton *>(button), Qt::LeftButton);
    Form *form = nullptr;
    if (!QTest::qWaitFor([&] { return (form = dialog->findChild<Form *>()) != nullptr; }))
        return nullptr;
    return form;
}

// The row, as the view sorts it, whose nameColumn shows name; -1 when none does.
inline int rowNamed(const QTableView *view, int nameColumn, const QString &name)
{
    const QAbstractItemModel *shown = view->model();
    for (int row = 0; row < shown->rowCount(); ++row) {
        if (shown->index(row, nameColumn).data().toString() == name)
            return row;
    }
    return -1;
}

// The text of a cell in the row named name, as the view shows it; empty when no row is.
inline QString cellNamed(const QTableView *view, int nameColumn, const QString &name, int column)
{
    const int row = rowNamed(view, nameColumn, name);
    return row < 0 ? QString() : view->model()->index(row, column).data().toString();
}
