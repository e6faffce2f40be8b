#include "admindialogfixture.h"
#include "mainwindow.h"
#include "newtokendialog.h"
#include "onetimesecretdialog.h"
#include "runningserver.h"
#include "testaccount.h"
#include "tokenlistmodel.h"
#include "tokensdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// An admin's tokens, made and revoked in the window, against the real API running beside it on
// the same database.
class TestTokensDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void listShowsEveryTokenWithoutSecrets();
    void tokenMadeInTheWindowOpensTheApiUntilRevoked();
    void refusalsAreShownInTheForm();

private:
    // The window of an admin beside the server's API, and its tokens dialog opened from the menu.
    TokensDialog *openDialog();
    // The text of a cell of the token with this name, as the view shows it.
    QString cell(TokensDialog *dialog, const QString &name, int column) const;
    void selectToken(TokensDialog *dialog, const QString &name);

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestTokensDialog::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestTokensDialog::cleanup()
{
    m_window.reset();
    m_server.reset();
}

TokensDialog *TestTokensDialog::openDialog()
{
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(Role::Admin));
    m_window->setApi(&m_server->service(), m_server->baseUrl());
    return openAdminDialog<TokensDialog>(*m_window, u"actionTokens"_s);
}

QString TestTokensDialog::cell(TokensDialog *dialog, const QString &name, int column) const
{
    return cellNamed(dialog->findChild<QTableView *>(u"tokensTableView"_s),
                     TokenListModel::NameColumn, name, column);
}

void TestTokensDialog::selectToken(TokensDialog *dialog, const QString &name)
{
    auto *view = dialog->findChild<QTableView *>(u"tokensTableView"_s);
    const int row = rowNamed(view, TokenListModel::NameColumn, name);
    if (row < 0)
        QFAIL(qPrintable(u"no token named "_s + name));
    view->selectRow(row);
}

void TestTokensDialog::listShowsEveryTokenWithoutSecrets()
{
    TokensDialog *dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->model()->rowCount(), 1);
    QCOMPARE(
        cell(dialog, u"tests"_s, TokenListModel::ScopesColumn),
        u"tickets:read, tickets:write, stats:read, replies:write, feedback:write, events:read"_s);
    QCOMPARE(cell(dialog, u"tests"_s, TokenListModel::StateColumn), u"Live"_s);
    QCOMPARE(cell(dialog, u"tests"_s, TokenListModel::ExpiresColumn), u"Never"_s);
    QVERIFY(!cell(dialog, u"tests"_s, TokenListModel::CreatedColumn).isEmpty());
    QVERIFY(!m_server->token().isEmpty());
    for (int column = 0; column < TokenListModel::ColumnCount; ++column) {
        QVERIFY(!dialog->model()->index(0, column).data().toString().contains(
            QString::fromLatin1(m_server->token())));
    }
    // Nothing is selected, so nothing can be revoked yet.
    QVERIFY(!dialog->findChild<QPushButton *>(u"revokePushButton"_s)->isEnabled());
}

void TestTokensDialog::tokenMadeInTheWindowOpensTheApiUntilRevoked()
{
    TokensDialog *dialog = openDialog();
    QVERIFY(dialog);
    NewTokenDialog *form = clickForForm<NewTokenDialog>(dialog, u"createPushButton"_s);
    QVERIFY(form);
    QTest::keyClicks(form->findChild<QLineEdit *>(u"nameLineEdit"_s), u"my-scripts"_s);
    QVERIFY(form->findChild<QCheckBox *>(u"ticketsReadCheckBox"_s)->isChecked());
    form->findChild<QCheckBox *>(u"statsReadCheckBox"_s)->setChecked(true);
    form->findChild<QCheckBox *>(u"expiresCheckBox"_s)->setChecked(true);
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);
    QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!created.isEmpty(), 10'000);
    QTRY_VERIFY(dialog->findChild<NewTokenDialog *>() == nullptr); // the form closed

    // The secret, once, read-only, with a button that copies it.
    OneTimeSecretDialog *shown = nullptr;
    QTRY_VERIFY((shown = dialog->findChild<OneTimeSecretDialog *>()) != nullptr);
    QTRY_VERIFY(shown->isVisible());
    auto *secretEdit = shown->findChild<QLineEdit *>(u"secretLineEdit"_s);
    QVERIFY(secretEdit->isReadOnly());
    const QString secret = secretEdit->text();
    QVERIFY(secret.size() >= 32);
    QVERIFY(
        shown->findChild<QLabel *>(u"warningLabel"_s)->text().contains(u"not be shown again"_s));
    QTest::mouseClick(shown->findChild<QPushButton *>(u"copyPushButton"_s), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), secret);

    // It opens what its scopes allow and nothing else.
    HttpClient client(m_server->baseUrl());
    client.setBearerToken(secret.toLatin1());
    QCOMPARE(client.get(u"/requests"_s).status, 200);
    QCOMPARE(client.get(u"/stats?days=7"_s).status, 200);
    QCOMPARE(client.postJson(u"/requests"_s, R"({"text":"Printer broken"})").status, 403);
    shown->reject();
    QTRY_VERIFY(dialog->findChild<OneTimeSecretDialog *>() == nullptr);

    QTRY_COMPARE(dialog->model()->rowCount(), 2);
    QCOMPARE(cell(dialog, u"my-scripts"_s, TokenListModel::ScopesColumn),
             u"tickets:read, stats:read"_s);
    QVERIFY(cell(dialog, u"my-scripts"_s, TokenListModel::ExpiresColumn) != u"Never"_s);

    // Revoked from the window: this node's API refuses it at once, not at its next re-check.
    selectToken(dialog, u"my-scripts"_s);
    auto *revoke = dialog->findChild<QPushButton *>(u"revokePushButton"_s);
    QVERIFY(revoke->isEnabled());
    QTest::mouseClick(revoke, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog->findChild<QMessageBox *>(u"revokeMessageBox"_s)) != nullptr);
    QVERIFY(box->text().contains(u"my-scripts"_s));
    QSignalSpy revoked(dialog, &TokensDialog::tokenRevoked);
    QTest::mouseClick(box->findChild<QPushButton *>(u"confirmRevokePushButton"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!revoked.isEmpty(), 10'000);
    QCOMPARE(client.get(u"/requests"_s).status, 401);
    QTRY_COMPARE(cell(dialog, u"my-scripts"_s, TokenListModel::StateColumn), u"Revoked"_s);
    QVERIFY(!revoke->isEnabled());
    // The server's own token is untouched.
    QCOMPARE(m_server->client().get(u"/requests"_s).status, 200);
}

void TestTokensDialog::refusalsAreShownInTheForm()
{
    TokensDialog *dialog = openDialog();
    QVERIFY(dialog);
    NewTokenDialog *form = clickForForm<NewTokenDialog>(dialog, u"createPushButton"_s);
    QVERIFY(form);
    auto *name = form->findChild<QLineEdit *>(u"nameLineEdit"_s);
    auto *ok = form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *error = form->findChild<QLabel *>(u"errorLabel"_s);

    // Each refusal in IntegrationTokens' words, with the form still open to fix it.
    const auto submit = [&] {
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(ok->isEnabled());
    };
    QTest::keyClicks(name, u"tests"_s);
    submit();
    QVERIFY2(error->isVisible() && error->text().contains(u"already exists"_s),
             qPrintable(error->text()));
    form->findChild<QCheckBox *>(u"ticketsReadCheckBox"_s)->setChecked(false);
    name->setText(u"crm"_s);
    submit();
    QVERIFY2(error->text().contains(u"scope"_s), qPrintable(error->text()));
    form->findChild<QCheckBox *>(u"ticketsWriteCheckBox"_s)->setChecked(true);
    name->setText(u"two words"_s);
    submit();
    QVERIFY(form->isVisible());
    QVERIFY(dialog->findChild<OneTimeSecretDialog *>() == nullptr);
    QCOMPARE(dialog->model()->rowCount(), 1);

    name->setText(u"crm"_s);
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!created.isEmpty(), 10'000);
    QTRY_COMPARE(dialog->model()->rowCount(), 2);
    QCOMPARE(cell(dialog, u"crm"_s, TokenListModel::ScopesColumn), u"tickets:write"_s);
}

QTEST_MAIN(TestTokensDialog)
#include "tst_tokensdialog.moc"
