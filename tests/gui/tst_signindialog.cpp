#include "database.h"
#include "signindialog.h"
#include "teamdatabase.h"
#include "ticketservice.h"
#include "useraccounts.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

// Signing in to a team's shared PostgreSQL database, as the window does before it opens.
class TestSignInDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyDatabaseNamesTheCommandThatMakesTheFirstAdmin();
    void wrongPasswordIsRefusedAndTheDialogStays();
    void rightPasswordSignsIn();
    void disabledUserIsRefused();

private:
    void addUser(const QString &name, Role role, const QString &password);
    void openDialog();
    // Types the name and password and presses Sign In; true when the check answered.
    bool signIn(const QString &name, const QString &password);
    QLabel *message() const { return m_dialog->findChild<QLabel *>(u"messageLabel"_s); }
    QPushButton *signInButton() const
    {
        return m_dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }

    std::unique_ptr<TeamDatabase> m_team;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<SignInDialog> m_dialog;
};

void TestSignInDialog::init()
{
    m_team = std::make_unique<TeamDatabase>();
    QVERIFY2(m_team->isValid(), qPrintable(m_team->errorString()));
    m_database = std::make_unique<Database>(m_team->config());
    m_database->migrate();
    m_tickets = std::make_unique<TicketService>(*m_database);
}

void TestSignInDialog::cleanup()
{
    m_dialog.reset();
    m_tickets.reset();
    if (m_database)
        m_database->closeThreadConnection();
    m_database.reset();
    m_team.reset();
}

void TestSignInDialog::addUser(const QString &name, Role role, const QString &password)
{
    const UserAccounts::Outcome outcome =
        UserAccounts(*m_database).add(name, role, password, Actor::system(u"tests"_s));
    QVERIFY2(outcome.ok(), qPrintable(outcome.problem));
}

void TestSignInDialog::openDialog()
{
    m_dialog = std::make_unique<SignInDialog>(*m_tickets);
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

bool TestSignInDialog::signIn(const QString &name, const QString &password)
{
    m_dialog->findChild<QLineEdit *>(u"userNameLineEdit"_s)->setText(name);
    auto *passwordEdit = m_dialog->findChild<QLineEdit *>(u"passwordLineEdit"_s);
    passwordEdit->setText(password);
    bool answered = false;
    const auto answer = [&answered] {
        answered = true;
    };
    connect(m_dialog.get(), &SignInDialog::signInRefused, this, answer);
    connect(m_dialog.get(), &QDialog::finished, this, answer);
    // The check runs on a storage thread: meanwhile the dialog keeps handling events (this timer
    // ticks), with its button off and a word that it is checking. On the GUI thread the answer
    // would come before the first tick.
    int ticks = 0;
    bool showedChecking = false;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (answered)
            return;
        ++ticks;
        showedChecking = showedChecking || (!signInButton()->isEnabled() &&
                                            message()->text().contains(u"Checking"_s));
    });
    ticker.start();
    QTest::keyClick(passwordEdit, Qt::Key_Return);
    const bool done = QTest::qWaitFor([&] { return answered; }, 10'000);
    disconnect(m_dialog.get(), nullptr, this, nullptr);
    if (!done || ticks < 2 || !showedChecking) {
        qWarning("answered %d after %d ticks, showed checking %d", done, ticks, showedChecking);
        return false;
    }
    return true;
}

void TestSignInDialog::emptyDatabaseNamesTheCommandThatMakesTheFirstAdmin()
{
    openDialog();
    QTRY_VERIFY(message()->isVisible());
    QVERIFY2(message()->text().contains(u"support-console users add NAME --role admin"_s),
             qPrintable(message()->text()));
    QVERIFY(signIn(u"alice"_s, u"anything at all"_s));
    QVERIFY(m_dialog->isVisible());
    QVERIFY2(message()->text().contains(u"users add"_s), qPrintable(message()->text()));
}

void TestSignInDialog::wrongPasswordIsRefusedAndTheDialogStays()
{
    addUser(u"alice"_s, Role::Agent, u"correct horse battery"_s);
    openDialog();
    QVERIFY(signIn(u"alice"_s, u"wrong horse battery"_s));
    QVERIFY(m_dialog->isVisible());
    QVERIFY(!m_dialog->account());
    const QString wrongPassword = message()->text();
    QVERIFY2(wrongPassword.contains(u"not right"_s), qPrintable(wrongPassword));
    QVERIFY(signInButton()->isEnabled());
    // Ready for another try, without what was typed.
    QVERIFY(m_dialog->findChild<QLineEdit *>(u"passwordLineEdit"_s)->text().isEmpty());
    QCOMPARE(m_dialog->findChild<QLineEdit *>(u"userNameLineEdit"_s)->text(), u"alice"_s);

    // An unknown name reads exactly like a wrong password.
    QVERIFY(signIn(u"mallory"_s, u"correct horse battery"_s));
    QCOMPARE(message()->text(), wrongPassword);
    QVERIFY(m_dialog->isVisible());
}

void TestSignInDialog::rightPasswordSignsIn()
{
    addUser(u"alice"_s, Role::Manager, u"correct horse battery"_s);
    openDialog();
    QVERIFY(signIn(u"alice"_s, u"correct horse battery"_s));
    QTRY_VERIFY(!m_dialog->isVisible());
    QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
    QVERIFY(m_dialog->account());
    QCOMPARE(m_dialog->account()->name, u"alice"_s);
    QCOMPARE(m_dialog->account()->role, Role::Manager);
    QVERIFY(m_dialog->account()->passwordHash.isEmpty());
}

void TestSignInDialog::disabledUserIsRefused()
{
    addUser(u"alice"_s, Role::Admin, u"correct horse battery"_s);
    addUser(u"bob"_s, Role::Agent, u"another long passphrase"_s);
    QVERIFY(UserAccounts(*m_database).disable(u"bob"_s, Actor::system(u"tests"_s)).ok());
    openDialog();
    QVERIFY(signIn(u"bob"_s, u"another long passphrase"_s));
    QVERIFY(m_dialog->isVisible());
    QVERIFY(!m_dialog->account());
    QVERIFY2(message()->text().contains(u"not right"_s), qPrintable(message()->text()));
}

QTEST_MAIN(TestSignInDialog)
#include "tst_signindialog.moc"
