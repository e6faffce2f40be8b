#include "admindialogfixture.h"
#include "mainwindow.h"
#include "runningserver.h"
#include "testaccount.h"
#include "useraccounts.h"
#include "userformdialog.h"
#include "userlistmodel.h"
#include "usersdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// An admin manages the team's users from the window; what the dialog does is what the database
// then holds, and what signing in then allows.
class TestUsersDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void adminAddsAUserWithARole();
    void refusalsAreShownInTheForm();
    void disabledUsersCannotSignInUntilEnabled();
    void passwordIsSetTypedTwice();

private:
    UsersDialog *openDialog();
    // Fills the form and presses its OK button; the form may stay open with a problem.
    void submit(UserFormDialog *form, const QString &password, const QString &repeat);
    QString cell(UsersDialog *dialog, const QString &name, int column) const;
    void selectUser(UsersDialog *dialog, const QString &name);
    // On the test's thread: only the dialog must keep the hashing off the GUI thread.
    bool canSignIn(const QString &name, const QString &password);
    void addUser(const QString &name, Role role, const QString &password);

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestUsersDialog::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    // The admin who signed in is a user like any other.
    addUser(u"alice"_s, Role::Admin, u"an admin's long passphrase"_s);
}

void TestUsersDialog::cleanup()
{
    m_window.reset();
    m_server.reset();
}

void TestUsersDialog::addUser(const QString &name, Role role, const QString &password)
{
    const UserAccounts::Outcome outcome =
        UserAccounts(m_server->database()).add(name, role, password, Actor::system(u"tests"_s));
    QVERIFY2(outcome.ok(), qPrintable(outcome.problem));
}

bool TestUsersDialog::canSignIn(const QString &name, const QString &password)
{
    return UserAccounts(m_server->database()).signIn(name, password).has_value();
}

UsersDialog *TestUsersDialog::openDialog()
{
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(Role::Admin));
    return openAdminDialog<UsersDialog>(*m_window, u"actionUsers"_s);
}

void TestUsersDialog::submit(UserFormDialog *form, const QString &password, const QString &repeat)
{
    form->findChild<QLineEdit *>(u"passwordLineEdit"_s)->setText(password);
    form->findChild<QLineEdit *>(u"repeatLineEdit"_s)->setText(repeat);
    QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
}

QString TestUsersDialog::cell(UsersDialog *dialog, const QString &name, int column) const
{
    return cellNamed(dialog->findChild<QTableView *>(u"usersTableView"_s),
                     UserListModel::NameColumn, name, column);
}

void TestUsersDialog::selectUser(UsersDialog *dialog, const QString &name)
{
    auto *view = dialog->findChild<QTableView *>(u"usersTableView"_s);
    const int row = rowNamed(view, UserListModel::NameColumn, name);
    if (row < 0)
        QFAIL(qPrintable(u"no user named "_s + name));
    view->selectRow(row);
}

void TestUsersDialog::adminAddsAUserWithARole()
{
    UsersDialog *dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->model()->rowCount(), 1);
    QCOMPARE(cell(dialog, u"alice"_s, UserListModel::RoleColumn), u"Admin"_s);
    QCOMPARE(cell(dialog, u"alice"_s, UserListModel::StateColumn), u"Active"_s);

    UserFormDialog *form = clickForForm<UserFormDialog>(dialog, u"addUserPushButton"_s);
    QVERIFY(form);
    QTest::keyClicks(form->findChild<QLineEdit *>(u"userNameLineEdit"_s), u"bob"_s);
    auto *role = form->findChild<QComboBox *>(u"roleComboBox"_s);
    QCOMPARE(role->count(), 3);
    role->setCurrentIndex(role->findData(int(Role::Manager)));
    submit(form, u"correct horse battery"_s, u"correct horse battery"_s);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->findChild<UserFormDialog *>() == nullptr, 10'000);
    QTRY_COMPARE(dialog->model()->rowCount(), 2);
    QCOMPARE(cell(dialog, u"bob"_s, UserListModel::RoleColumn), u"Manager"_s);
    QCOMPARE(cell(dialog, u"bob"_s, UserListModel::StateColumn), u"Active"_s);
    QVERIFY(dialog->findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"Added bob"_s));

    const std::optional<UserAccount> bob = UserAccounts(m_server->database()).find(u"bob"_s);
    QVERIFY(bob);
    QCOMPARE(bob->role, Role::Manager);
    QCOMPARE(bob->createdBy, u"user:alice"_s);
    QVERIFY(canSignIn(u"bob"_s, u"correct horse battery"_s));
}

void TestUsersDialog::refusalsAreShownInTheForm()
{
    UsersDialog *dialog = openDialog();
    QVERIFY(dialog);
    UserFormDialog *form = clickForForm<UserFormDialog>(dialog, u"addUserPushButton"_s);
    QVERIFY(form);
    auto *name = form->findChild<QLineEdit *>(u"userNameLineEdit"_s);
    auto *error = form->findChild<QLabel *>(u"errorLabel"_s);
    auto *ok = form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);

    // Caught in the form: the two entries differ.
    QTest::keyClicks(name, u"bob"_s);
    submit(form, u"correct horse battery"_s, u"correct horse batterz"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"differ"_s), qPrintable(error->text()));
    QVERIFY(ok->isEnabled());

    // Refused by UserAccounts, in its words.
    submit(form, u"short"_s, u"short"_s);
    QTRY_VERIFY(ok->isEnabled());
    QVERIFY2(error->text().contains(u"shorter than"_s), qPrintable(error->text()));
    name->setText(u"alice"_s);
    submit(form, u"correct horse battery"_s, u"correct horse battery"_s);
    QTRY_VERIFY_WITH_TIMEOUT(ok->isEnabled(), 10'000);
    QVERIFY2(error->text().contains(u"already exists"_s), qPrintable(error->text()));
    QVERIFY(form->isVisible());
    QCOMPARE(dialog->model()->rowCount(), 1);
    QCOMPARE(UserAccounts(m_server->database()).list().size(), 1);
}

void TestUsersDialog::disabledUsersCannotSignInUntilEnabled()
{
    addUser(u"bob"_s, Role::Agent, u"correct horse battery"_s);
    UsersDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *disable = dialog->findChild<QPushButton *>(u"disablePushButton"_s);
    auto *enable = dialog->findChild<QPushButton *>(u"enablePushButton"_s);
    QVERIFY(!disable->isEnabled() && !enable->isEnabled()); // nobody selected

    // The signed-in admin cannot lock themselves out.
    selectUser(dialog, u"alice"_s);
    QVERIFY(!disable->isEnabled());
    QVERIFY(disable->toolTip().contains(u"alice"_s));

    selectUser(dialog, u"bob"_s);
    QVERIFY(disable->isEnabled());
    QVERIFY(!enable->isEnabled());
    QTest::mouseClick(disable, Qt::LeftButton);
    QTRY_COMPARE(cell(dialog, u"bob"_s, UserListModel::StateColumn), u"Disabled"_s);
    QVERIFY(!canSignIn(u"bob"_s, u"correct horse battery"_s));
    QTRY_VERIFY(enable->isEnabled());
    QVERIFY(!disable->isEnabled());

    QTest::mouseClick(enable, Qt::LeftButton);
    QTRY_COMPARE(cell(dialog, u"bob"_s, UserListModel::StateColumn), u"Active"_s);
    QVERIFY(canSignIn(u"bob"_s, u"correct horse battery"_s));
    QVERIFY(dialog->findChild<QLabel *>(u"messageLabel"_s)->text().contains(u"Enabled bob"_s));
}

void TestUsersDialog::passwordIsSetTypedTwice()
{
    addUser(u"bob"_s, Role::Agent, u"correct horse battery"_s);
    UsersDialog *dialog = openDialog();
    QVERIFY(dialog);
    selectUser(dialog, u"bob"_s);
    UserFormDialog *form = clickForForm<UserFormDialog>(dialog, u"passwordPushButton"_s);
    QVERIFY(form);
    QCOMPARE(form->findChild<QLineEdit *>(u"userNameLineEdit"_s)->text(), u"bob"_s);
    QVERIFY(form->findChild<QLineEdit *>(u"userNameLineEdit"_s)->isReadOnly());
    QVERIFY(!form->findChild<QComboBox *>(u"roleComboBox"_s)->isVisible());
    QVERIFY(form->windowTitle().contains(u"bob"_s));

    submit(form, u"a brand new passphrase"_s, u"a brand new passphrasf"_s);
    QVERIFY(form->findChild<QLabel *>(u"errorLabel"_s)->text().contains(u"differ"_s));
    submit(form, u"a brand new passphrase"_s, u"a brand new passphrase"_s);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->findChild<UserFormDialog *>() == nullptr, 10'000);
    QVERIFY(canSignIn(u"bob"_s, u"a brand new passphrase"_s));
    QVERIFY(!canSignIn(u"bob"_s, u"correct horse battery"_s));
}

QTEST_MAIN(TestUsersDialog)
#include "tst_usersdialog.moc"
