#include "admindialogfixture.h"
#include "mainwindow.h"
#include "newwebhookdialog.h"
#include "onetimesecretdialog.h"
#include "runningserver.h"
#include "testaccount.h"
#include "testwebhooks.h"
#include "webhookdeliverymodel.h"
#include "webhooklistmodel.h"
#include "webhookreceiver.h"
#include "webhooksdialog.h"
#include "webhookservice.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// An admin's webhooks, added and removed in the window, with the delivery log that follows a
// real receiver.
class TestWebhooksDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void webhookAddedInTheWindowReceivesChangesAndShowsItsLog();
    void failedAttemptsAreShownWithTheReceiversAnswer();
    void refusalsAreShownInTheForm();
    void onlyAdminsSeeWebhooks();

private:
    WebhooksDialog *openDialog();
    // Adds the receiver through the dialog's form and returns the secret shown.
    QString addThroughTheForm(WebhooksDialog *dialog, const QString &url);
    QString logCell(WebhooksDialog *dialog, int row, int column) const;

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<TestWebhooks> m_nodeWebhooks;
    WebhookService *m_webhooks = nullptr;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<MainWindow> m_window;
};

void TestWebhooksDialog::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    m_nodeWebhooks = std::make_unique<TestWebhooks>(m_server->tickets(), 3);
    m_webhooks = &m_nodeWebhooks->service();
    m_receiver = std::make_unique<WebhookReceiver>();
}

void TestWebhooksDialog::cleanup()
{
    m_window.reset();
    m_webhooks = nullptr;
    m_nodeWebhooks.reset();
    m_receiver.reset();
    m_server.reset();
}

WebhooksDialog *TestWebhooksDialog::openDialog()
{
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(Role::Admin));
    m_window->setWebhooks(m_webhooks);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return nullptr;
    m_window->findChild<QAction *>(u"actionWebhooks"_s)->trigger();
    return m_window->findChild<WebhooksDialog *>();
}

QString TestWebhooksDialog::addThroughTheForm(WebhooksDialog *dialog, const QString &url)
{
    auto *form = clickForForm<NewWebhookDialog>(dialog, u"addPushButton"_s);
    if (!form)
        return {};
    form->findChild<QLineEdit *>(u"urlLineEdit"_s)->setText(url);
    form->findChild<QCheckBox *>(u"classifiedCheckBox"_s)->setChecked(false);
    QSignalSpy added(dialog, &WebhooksDialog::webhookAdded);
    QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !added.isEmpty(); }, 10'000))
        return {};
    OneTimeSecretDialog *shown = nullptr;
    if (!QTest::qWaitFor([&] { return (shown = dialog->findChild<OneTimeSecretDialog *>()); }))
        return {};
    const QString secret = shown->findChild<QLineEdit *>(u"secretLineEdit"_s)->text();
    if (!shown->findChild<QLabel *>(u"warningLabel"_s)->text().contains(u"not be shown again"_s))
        return {};
    shown->reject();
    return secret;
}

QString TestWebhooksDialog::logCell(WebhooksDialog *dialog, int row, int column) const
{
    const QAbstractItemModel *shown =
        dialog->findChild<QTableView *>(u"deliveriesTableView"_s)->model();
    return shown->index(row, column).data().toString();
}

void TestWebhooksDialog::webhookAddedInTheWindowReceivesChangesAndShowsItsLog()
{
    WebhooksDialog *dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->model()->rowCount(), 0);
    QVERIFY(!dialog->findChild<QPushButton *>(u"removePushButton"_s)->isEnabled());

    const QString secret = addThroughTheForm(dialog, m_receiver->url().toString());
    QVERIFY(secret.startsWith(u"whsec_"_s));
    m_receiver->setSecret(secret);
    QTRY_COMPARE(dialog->model()->rowCount(), 1);
    const QModelIndex url = dialog->model()->index(0, WebhookListModel::UrlColumn);
    QCOMPARE(url.data().toString(), m_receiver->url().toString());
    QCOMPARE(dialog->model()->index(0, WebhookListModel::EventsColumn).data().toString(),
             u"ticket.created, ticket.updated, ticket.replied, ticket.rated"_s);
    for (int column = 0; column < WebhookListModel::ColumnCount; ++column)
        QVERIFY(!dialog->model()->index(0, column).data().toString().contains(secret.mid(6)));

    const HttpClient::Response posted =
        m_server->client().postJson(u"/requests"_s, R"({"text": "The printer is on fire"})");
    QCOMPARE(posted.status, 201);
    QTRY_COMPARE(m_receiver->acceptedIds().size(), 1);
    QCOMPARE(m_receiver->invalidSignatures(), 0);
    // The log follows without anyone asking.
    QTRY_COMPARE_WITH_TIMEOUT(logCell(dialog, 0, WebhookDeliveryModel::StateColumn), u"Delivered"_s,
                              5'000);
    QCOMPARE(logCell(dialog, 0, WebhookDeliveryModel::ResultColumn), u"HTTP 204"_s);
    QCOMPARE(logCell(dialog, 0, WebhookDeliveryModel::TicketColumn),
             QString::number(posted.json()[u"id"_s].toInteger()));
    QCOMPARE(logCell(dialog, 0, WebhookDeliveryModel::TypeColumn), u"ticket.created"_s);

    auto *view = dialog->findChild<QTableView *>(u"webhooksTableView"_s);
    view->selectRow(0);
    auto *remove = dialog->findChild<QPushButton *>(u"removePushButton"_s);
    QTRY_VERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = dialog->findChild<QMessageBox *>(u"removeMessageBox"_s)) != nullptr);
    QSignalSpy removed(dialog, &WebhooksDialog::webhookRemoved);
    QTest::mouseClick(box->findChild<QPushButton *>(u"confirmRemovePushButton"_s), Qt::LeftButton);
    QTRY_COMPARE(removed.size(), 1);
    QTRY_VERIFY(dialog->model()
                    ->index(0, WebhookListModel::StateColumn)
                    .data()
                    .toString()
                    .startsWith(u"Removed"_s));
    QTRY_VERIFY(!remove->isEnabled());
    QVERIFY(!m_webhooks->find(removed.first().first().toLongLong())->isLive());
}

void TestWebhooksDialog::failedAttemptsAreShownWithTheReceiversAnswer()
{
    m_receiver->setDefaultAnswer(WebhookReceiver::Answer::fail(503));
    WebhooksDialog *dialog = openDialog();
    QVERIFY(dialog);
    m_receiver->setSecret(addThroughTheForm(dialog, m_receiver->url().toString()));
    QCOMPARE(m_server->client().postJson(u"/requests"_s, R"({"text": "Broken"})").status, 201);
    QTRY_COMPARE_WITH_TIMEOUT(logCell(dialog, 0, WebhookDeliveryModel::StateColumn), u"Failed"_s,
                              10'000);
    QCOMPARE(logCell(dialog, 0, WebhookDeliveryModel::AttemptsColumn), u"3"_s);
    const QString result = logCell(dialog, 0, WebhookDeliveryModel::ResultColumn);
    QVERIFY2(result.contains(u"503 Service Unavailable"_s) && !result.contains(u"on purpose"_s),
             qPrintable(result));
}

void TestWebhooksDialog::refusalsAreShownInTheForm()
{
    WebhooksDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *form = clickForForm<NewWebhookDialog>(dialog, u"addPushButton"_s);
    QVERIFY(form);
    form->findChild<QLineEdit *>(u"urlLineEdit"_s)->setText(u"http://crm.example.com/hooks"_s);
    auto *ok = form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::mouseClick(ok, Qt::LeftButton);
    auto *problem = form->findChild<QLabel *>(u"errorLabel"_s);
    QTRY_VERIFY(problem->text().contains(u"https"_s));
    QVERIFY(form->isVisible());

    form->findChild<QLineEdit *>(u"urlLineEdit"_s)->setText(u"https://crm.example.com/hooks"_s);
    for (QCheckBox *box : form->findChildren<QCheckBox *>())
        box->setChecked(false);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(problem->text().contains(u"at least one"_s));
    QVERIFY(form->isVisible());
    QVERIFY(m_webhooks->list().isEmpty());
}

void TestWebhooksDialog::onlyAdminsSeeWebhooks()
{
    for (const Role role : {Role::Agent, Role::Manager}) {
        MainWindow window(m_server->tickets(), testAccount(role));
        window.setWebhooks(m_webhooks);
        auto *action = window.findChild<QAction *>(u"actionWebhooks"_s);
        QVERIFY(!action->isVisible());
        QVERIFY(!action->isEnabled());
    }
    // An admin's window without the service has nothing to manage.
    MainWindow window(m_server->tickets(), testAccount(Role::Admin));
    QVERIFY(!window.findChild<QAction *>(u"actionWebhooks"_s)->isEnabled());
    window.setWebhooks(m_webhooks);
    QVERIFY(window.findChild<QAction *>(u"actionWebhooks"_s)->isEnabled());
}

QTEST_MAIN(TestWebhooksDialog)
#include "tst_webhooksdialog.moc"
