#include "autoresolvedialog.h"
#include "mainwindow.h"
#include "outcomespanel.h"
#include "runningserver.h"
#include "testaccount.h"
#include "ticketservice.h"
#include "ticketsession.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

// An admin's auto-resolve rules in the window, on a real database, and what the statistics say
// auto-resolve did.
class TestAutoResolveDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void anAdminTurnsACategoryOnAndOff();
    void onlyAdminsSeeAutoResolve();
    void outcomesShowTheRatesPerCategory();

private:
    AutoResolveDialog *openDialog(Role role = Role::Admin);
    QList<AutoResolveRule> storedRules();
    static bool isSavable(AutoResolveDialog *dialog)
    {
        return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->isEnabled();
    }

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestAutoResolveDialog::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestAutoResolveDialog::cleanup()
{
    m_window.reset();
    m_server.reset();
}

AutoResolveDialog *TestAutoResolveDialog::openDialog(Role role)
{
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(role));
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return nullptr;
    auto *action = m_window->findChild<QAction *>(u"actionAutoResolve"_s);
    if (!action->isEnabled())
        return nullptr;
    action->trigger();
    auto *dialog = m_window->findChild<AutoResolveDialog *>();
    // Rules are read once the form can be saved; that may be before a spy could hear it.
    if (dialog && !QTest::qWaitFor([dialog] { return isSavable(dialog); }, 5000))
        return nullptr;
    return dialog;
}

QList<AutoResolveRule> TestAutoResolveDialog::storedRules()
{
    return m_server->tickets().openSession()->autoResolveRules();
}

void TestAutoResolveDialog::anAdminTurnsACategoryOnAndOff()
{
    AutoResolveDialog *dialog = openDialog();
    QVERIFY(dialog);
    // Off everywhere until someone decides otherwise.
    for (Category category : kAllCategories) {
        QVERIFY(!dialog->enabledBox(category)->isChecked());
        QVERIFY(!dialog->thresholdBox(category)->isEnabled());
    }
    QCOMPARE(dialog->thresholdBox(Category::Billing)->minimum(), 0.5);

    dialog->enabledBox(Category::Billing)->setChecked(true);
    QVERIFY(dialog->thresholdBox(Category::Billing)->isEnabled());
    dialog->thresholdBox(Category::Billing)->setValue(0.87);
    QSignalSpy saved(dialog, &AutoResolveDialog::rulesSaved);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    // The answer may come before the click returns, when the storage thread is quick.
    QTRY_COMPARE(saved.size(), 1);
    QList<AutoResolveRule> rules = storedRules();
    QCOMPARE(rules.size(), 1);
    QCOMPARE(rules.first().category, Category::Billing);
    QCOMPARE(rules.first().threshold, 0.87);
    QCOMPARE(rules.first().updatedBy, u"user:alice"_s);
    QVERIFY(dialog->findChild<QLabel *>(u"messageLabel"_s)->text().startsWith(u"Saved"_s));

    // Opened again, the dialog shows what the database holds.
    dialog->close();
    QTRY_VERIFY(!m_window->findChild<AutoResolveDialog *>());
    m_window->findChild<QAction *>(u"actionAutoResolve"_s)->trigger();
    dialog = m_window->findChild<AutoResolveDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(isSavable(dialog));
    QVERIFY(dialog->enabledBox(Category::Billing)->isChecked());
    QCOMPARE(dialog->thresholdBox(Category::Billing)->value(), 0.87);
    QVERIFY(!dialog->enabledBox(Category::Technical)->isChecked());

    dialog->enabledBox(Category::Billing)->setChecked(false);
    QVERIFY(isSavable(dialog));
    QSignalSpy savedAgain(dialog, &AutoResolveDialog::rulesSaved);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QTRY_COMPARE(savedAgain.size(), 1);
    QVERIFY(storedRules().isEmpty());
    QVERIFY(dialog->findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"off"_s));
}

void TestAutoResolveDialog::onlyAdminsSeeAutoResolve()
{
    QVERIFY(!openDialog(Role::Agent));
    auto *action = m_window->findChild<QAction *>(u"actionAutoResolve"_s);
    QVERIFY(!action->isVisible());
    QVERIFY(!m_window->findChild<AutoResolveDialog *>());
}

void TestAutoResolveDialog::outcomesShowTheRatesPerCategory()
{
    TicketStats stats = TicketStats::emptyWindow(QDate::currentDate(), 7);
    stats.add(QDate::currentDate(), Category::Billing, 8);
    stats.add(QDate::currentDate(), Category::Technical, 2);
    TicketStats::AutoResolution &billing = stats.autoResolve[std::size_t(Category::Billing)];
    billing.threshold = 0.9;
    billing.resolved = 4;
    billing.reopened = 1;
    OutcomesPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setStats(stats);

    const QLocale locale;
    auto *table = panel.findChild<QTableWidget *>(u"autoResolveTableWidget"_s);
    auto text = [table](int row, int column) {
        return table->item(row, column)->text();
    };
    const int row = int(Category::Billing);
    QCOMPARE(text(row, 0), locale.toString(0.9, 'f', 2));
    QCOMPARE(text(row, 1), locale.toString(4));
    QCOMPARE(text(row, 2), u"%1 %"_s.arg(locale.toString(50.0, 'f', 1)));
    QCOMPARE(text(row, 3), locale.toString(1));
    QCOMPARE(text(row, 4), u"%1 %"_s.arg(locale.toString(25.0, 'f', 1)));
    QCOMPARE(text(int(Category::Technical), 0), u"off"_s);
    QCOMPARE(text(int(Category::Technical), 4), u"–"_s);
    // All: 4 of the 10 tickets in the range.
    QCOMPARE(text(int(kAllCategories.size()), 2), u"%1 %"_s.arg(locale.toString(40.0, 'f', 1)));
}

QTEST_MAIN(TestAutoResolveDialog)
#include "tst_autoresolvedialog.moc"
