#include "classificationrepository.h"
#include "localmodeltrainer.h"
#include "mainwindow.h"
#include "newticketdialog.h"
#include "rejectingtrigger.h"
#include "rulesclassifier.h"
#include "runningserver.h"
#include "settingsdialog.h"
#include "settingskeys.h"
#include "statsview.h"
#include "testaccount.h"
#include "testcertificate.h"
#include "ticketdetailwidget.h"
#include "ticketrepository.h"
#include "tickettablemodel.h"
#include "trainingfixture.h"

#include <QBarSet>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlQuery>
#include <QStackedBarSeries>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

// Drives the real window with keys and clicks over a real database that the real API server
// shares, as an agent and an external system would.
class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void submittedTicketAppearsAndIsSelected();
    void formRefusesWhatTheApiRefuses();
    void formComesBackWhenStoringFails();
    void billingFilterShowsOnlyBillingRows();
    void ticketPostedToTheApiAppearsLive();
    void correctionIsStoredAsTheAgentsVerdict();
    void ticketTextIsShownAsPlainText();
    void reviewQueueIsWalkedWithTheKeyboard();
    void statusChangesForEverySelectedRow();
    void bulkActionReachesRowsNotReadYet();
    void settingsAreCheckedSavedAndAnnounced();
    void settingsTakeADatabaseUriButNeverAPassword();
    void settingsTakeTlsFilesThatWork();
    void layoutIsKeptAcrossRestarts();
    void statisticsEqualTheApiAndFollowChanges();
    void statusBarShowsApiAiAndQueue();
    void newTicketFormSuggestsWithTheModelInUse();
    void agentSeesNoAdministrationNorStatistics();
    void managerSeesStatisticsButNoAdministration();
    void adminSeesEverything();
    void verdictsAreRecordedAsTheSignedInUser();

private:
    qint64 addTicket(const QString &subject, const QString &body,
                     std::optional<Category> category = std::nullopt, double confidence = 0.9);
    // As the given user would see it; admins see everything.
    void showWindow(Role role = Role::Admin, const QString &name = u"alice"_s);
    // What a role is offered: tabs, menus and actions, and the settings groups.
    struct Offered
    {
        bool statistics = false;
        bool administration = false;
        bool serviceSettings = false;
    };
    Offered offered();
    QTableView *table() const { return m_window->findChild<QTableView *>(u"ticketTableView"_s); }
    TicketTableModel *model() const { return m_window->ticketModel(); }
    QString cell(int row, int column) const
    {
        return model()->index(row, column).data().toString();
    }
    void selectRow(int row);

    std::unique_ptr<RunningServer> m_server;
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
    m_tickets = std::make_unique<TicketRepository>(m_server->database());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_tickets.reset();
    m_server.reset();
}

qint64 TestMainWindow::addTicket(const QString &subject, const QString &body,
                                 std::optional<Category> category, double confidence)
{
    const Ticket ticket =
        m_tickets->create(TicketDraft::fromSubjectAndBody(subject, body, TicketSource::Api));
    if (category) {
        Classification classification;
        classification.ticketId = ticket.id;
        classification.category = *category;
        classification.confidence = confidence;
        classification.needsReview = confidence < 0.6;
        classification.summary = u"Summary of "_s + subject;
        ClassificationRepository(m_server->database()).add(classification);
    }
    return ticket.id;
}

void TestMainWindow::showWindow(Role role, const QString &name)
{
    m_server->tickets().setChangePollInterval(100);
    m_window = std::make_unique<MainWindow>(m_server->tickets(), testAccount(role, name));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // Keys reach the window's shortcuts only while it is active.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QSignalSpy reloaded(model(), &TicketTableModel::reloaded);
    QTRY_VERIFY(!reloaded.isEmpty() || model()->rowCount() > 0 ||
                model()->filter().search.isNull());
}

void TestMainWindow::selectRow(int row)
{
    QTRY_VERIFY(model()->ticketAt(row) != nullptr);
    table()->setFocus();
    table()->selectRow(row);
    QCOMPARE(table()->currentIndex().row(), row);
}

void TestMainWindow::submittedTicketAppearsAndIsSelected()
{
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    NewTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<NewTicketDialog *>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    QSignalSpy suggested(dialog, &NewTicketDialog::suggestionChanged);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"subjectLineEdit"_s), u"Refund please"_s);
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"bodyPlainTextEdit"_s),
                     u"I was charged twice on my invoice, please refund the payment."_s);
    QTRY_VERIFY(!suggested.isEmpty());
    QVERIFY(dialog->suggestion());
    QCOMPARE(dialog->suggestion()->category, Category::Billing);
    QVERIFY(dialog->findChild<QLabel *>(u"suggestionLabel"_s)->text().contains(u"Billing"_s));

    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QTRY_COMPARE(model()->rowCount(), 1);
    QTRY_COMPARE(cell(0, TicketTableModel::SubjectColumn), u"Refund please"_s);
    QTRY_COMPARE(table()->currentIndex().row(), 0);
    QCOMPARE(m_tickets->count(), 1);
    const std::optional<Ticket> stored = m_tickets->list({}).items.value(0);
    QCOMPARE(stored->source, TicketSource::Gui);
    QCOMPARE(stored->body, u"I was charged twice on my invoice, please refund the payment."_s);
    auto *subject =
        m_window->findChild<TicketDetailWidget *>()->findChild<QLabel *>(u"subjectLabel"_s);
    QTRY_COMPARE(subject->text(), u"Refund please"_s);
}

void TestMainWindow::formRefusesWhatTheApiRefuses()
{
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    NewTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<NewTicketDialog *>()) != nullptr);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"subjectLineEdit"_s), u"Only a subject"_s);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    auto *error = dialog->findChild<QLabel *>(u"errorLabel"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"body"_s), qPrintable(error->text()));
    QTest::qWait(300);
    QCOMPARE(m_tickets->count(), 0);
}

void TestMainWindow::formComesBackWhenStoringFails()
{
    QString error;
    QVERIFY2(
        RejectingTrigger::install(m_server->database(), u"reject me"_s, u"disk full"_s, &error),
        qPrintable(error));
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    NewTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<NewTicketDialog *>()) != nullptr);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"subjectLineEdit"_s), u"Keep me"_s);
    QTest::keyClicks(dialog->findChild<QPlainTextEdit *>(u"bodyPlainTextEdit"_s), u"reject me"_s);
    const QPointer<NewTicketDialog> submitted = dialog;
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    // The first form closes; a new one (maybe at the same address) comes back with the text.
    QTRY_VERIFY(submitted.isNull());
    QTRY_VERIFY((dialog = m_window->findChild<NewTicketDialog *>()) != nullptr);
    QCOMPARE(dialog->draft().subject, u"Keep me"_s);
    QCOMPARE(dialog->draft().body, u"reject me"_s);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"disk full"_s));
    QCOMPARE(m_tickets->count(), 0);
}

void TestMainWindow::billingFilterShowsOnlyBillingRows()
{
    addTicket(u"VPN drops"_s, u"b"_s, Category::Technical);
    addTicket(u"Invoice wrong"_s, u"b"_s, Category::Billing);
    addTicket(u"Refund"_s, u"b"_s, Category::Billing);
    addTicket(u"Opening hours"_s, u"b"_s, Category::General);
    addTicket(u"Not classified yet"_s, u"b"_s);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 5);
    auto *billing = m_window->findChild<QToolButton *>(u"billingCategoryButton"_s);
    QTRY_COMPARE(billing->text(), u"Billing (2)"_s);
    QCOMPARE(m_window->findChild<QToolButton *>(u"allCategoryButton"_s)->text(), u"All (5)"_s);

    QTest::mouseClick(billing, Qt::LeftButton);
    QTRY_COMPARE(model()->rowCount(), 2);
    QTRY_VERIFY(model()->ticketAt(1));
    for (int row = 0; row < 2; ++row)
        QCOMPARE(cell(row, TicketTableModel::CategoryColumn), u"Billing"_s);

    // Filters combine: billing and a search.
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTest::keyClicks(m_window->findChild<QLineEdit *>(u"searchLineEdit"_s), u"refund"_s);
    QTRY_COMPARE(model()->rowCount(), 1);
    QTRY_COMPARE(cell(0, TicketTableModel::SubjectColumn), u"Refund"_s);
}

void TestMainWindow::ticketPostedToTheApiAppearsLive()
{
    addTicket(u"Older"_s, u"b"_s, Category::General);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 1);
    selectRow(0);
    const HttpClient::Response response = m_server->client().postJson(
        u"/requests"_s, R"({"subject":"From the CRM","body":"Printer on fire"})");
    QCOMPARE(response.status, 201);
    QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), 2, 1000);
    QTRY_COMPARE(cell(0, TicketTableModel::SubjectColumn), u"From the CRM"_s);
    // The agent's selection stayed on the ticket they were reading.
    QCOMPARE(cell(table()->currentIndex().row(), TicketTableModel::SubjectColumn), u"Older"_s);
    QTRY_COMPARE(m_window->findChild<QToolButton *>(u"allCategoryButton"_s)->text(), u"All (2)"_s);
}

void TestMainWindow::correctionIsStoredAsTheAgentsVerdict()
{
    const qint64 id = addTicket(u"Charged twice"_s, u"b"_s, Category::Technical, 0.4);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 1);
    selectRow(0);
    QTest::keyClick(table(), Qt::Key_B);
    QTRY_COMPARE(m_tickets->find(id)->category, Category::Billing);
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classification->provider, ClassificationProvider::Agent);
    QVERIFY(!ticket->needsReview);
    QTRY_COMPARE(cell(0, TicketTableModel::CategoryColumn), u"Billing"_s);
    QCOMPARE(ClassificationRepository(m_server->database()).history(id).size(), 2);
}

void TestMainWindow::ticketTextIsShownAsPlainText()
{
    const QString markup = u"<b>bold</b><img src=x>"_s;
    addTicket(u"<i>subject</i>"_s, markup, Category::General);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 1);
    selectRow(0);
    auto *detail = m_window->findChild<TicketDetailWidget *>();
    auto *subject = detail->findChild<QLabel *>(u"subjectLabel"_s);
    QTRY_COMPARE(subject->text(), u"<i>subject</i>"_s);
    QCOMPARE(subject->textFormat(), Qt::PlainText);
    // The conversation opens with the customer's text, as written.
    QCOMPARE(detail->findChild<QPlainTextEdit *>(u"conversationPlainTextEdit"_s)
                 ->toPlainText()
                 .section(u'\n', 1),
             markup);
    QCOMPARE(cell(0, TicketTableModel::SubjectColumn), u"<i>subject</i>"_s);
    for (const QLabel *label : detail->findChildren<QLabel *>()) {
        if (label->text().contains(u'<'))
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
    }
}

void TestMainWindow::reviewQueueIsWalkedWithTheKeyboard()
{
    const qint64 sure = addTicket(u"Sure"_s, u"b"_s, Category::General, 0.95);
    // The queue puts the least certain first, whatever the order of arrival.
    const qint64 first = addTicket(u"First"_s, u"b"_s, Category::Billing, 0.2);
    const qint64 third = addTicket(u"Third"_s, u"b"_s, Category::General, 0.45);
    const qint64 second = addTicket(u"Second"_s, u"b"_s, Category::Technical, 0.3);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 4);
    QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(m_window->findChild<QCheckBox *>(u"needsReviewCheckBox"_s)->isChecked());
    QTRY_COMPARE(model()->rowCount(), 3);
    QCOMPARE(table()->horizontalHeader()->sortIndicatorSection(),
             int(TicketTableModel::ConfidenceColumn));
    QCOMPARE(table()->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    QTRY_COMPARE(cell(1, TicketTableModel::SubjectColumn), u"Second"_s);
    QCOMPARE(cell(2, TicketTableModel::SubjectColumn), u"Third"_s);
    selectRow(0);
    QCOMPARE(cell(0, TicketTableModel::SubjectColumn), u"First"_s);
    // The key acts on what the agent sees: wait until the detail pane shows the row, which also
    // means no reload of the filter's first page is still on its way to reset the selection.
    auto *subject =
        m_window->findChild<TicketDetailWidget *>()->findChild<QLabel *>(u"subjectLabel"_s);
    QTRY_COMPARE(subject->text(), u"First"_s);
    QCOMPARE(table()->currentIndex().row(), 0);

    QTest::keyClick(table(), Qt::Key_A); // accept billing, move on
    QTRY_VERIFY2(m_tickets->find(first)->classification->provider == ClassificationProvider::Agent,
                 qPrintable(u"current row %1, detail %2, rows %3, active %4"_s
                                .arg(table()->currentIndex().row())
                                .arg(subject->text())
                                .arg(model()->rowCount())
                                .arg(m_window->isActiveWindow())));
    QTRY_COMPARE(model()->rowCount(), 2);
    QTRY_COMPARE(cell(table()->currentIndex().row(), TicketTableModel::SubjectColumn), u"Second"_s);
    QTest::keyClick(table(), Qt::Key_G); // correct technical to general
    QTRY_COMPARE(model()->rowCount(), 1);
    QTRY_COMPARE(cell(table()->currentIndex().row(), TicketTableModel::SubjectColumn), u"Third"_s);

    QCOMPARE(m_tickets->find(first)->category, Category::Billing);
    QCOMPARE(m_tickets->find(first)->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(m_tickets->find(second)->category, Category::General);
    QVERIFY(m_tickets->find(third)->needsReview);
    QCOMPARE(m_tickets->find(sure)->classification->provider, ClassificationProvider::Rules);
}

void TestMainWindow::statusChangesForEverySelectedRow()
{
    const qint64 a = addTicket(u"a"_s, u"b"_s, Category::General);
    const qint64 b = addTicket(u"b"_s, u"b"_s, Category::General);
    const qint64 c = addTicket(u"c"_s, u"b"_s, Category::General);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 3);
    selectRow(0);
    QTest::keyClick(table(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(table()->selectionModel()->selectedRows().size(), 2);
    QTest::keyClick(table(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(m_tickets->find(c)->status, TicketStatus::Resolved);
    QTRY_COMPARE(m_tickets->find(b)->status, TicketStatus::Resolved);
    QCOMPARE(m_tickets->find(a)->status, TicketStatus::Open);
}

void TestMainWindow::bulkActionReachesRowsNotReadYet()
{
    for (int i = 0; i < 250; ++i)
        addTicket(u"t%1"_s.arg(i), u"b"_s, Category::General);
    showWindow();
    QTRY_COMPARE(model()->rowCount(), 250);
    table()->setFocus();
    QTest::keyClick(table(), Qt::Key_A, Qt::ControlModifier);
    QVERIFY(!model()->ticketAt(249)); // its page was never on screen
    QTest::keyClick(table(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    TicketQuery closed;
    closed.status = TicketStatus::Closed;
    QTRY_COMPARE(m_tickets->count(closed), 250);
}

void TestMainWindow::settingsAreCheckedSavedAndAnnounced()
{
    QSettings().clear();
    showWindow();
    QSignalSpy changed(m_window.get(), &MainWindow::settingsChanged);
    QTest::keySequence(m_window.get(), QKeySequence(u"Ctrl+,"_s));
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) != nullptr);
    auto *url = dialog->findChild<QLineEdit *>(u"llmUrlLineEdit"_s);
    QTest::keyClicks(url, u"ftp://example.com"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(u"errorLabel"_s)->text().contains(u"http"_s));
    QVERIFY(!QSettings().contains(SettingsKeys::aiUrl));

    url->clear();
    QTest::keyClicks(url, u"http://127.0.0.1:11434/v1/chat/completions"_s);
    dialog->findChild<QSpinBox *>(u"portSpinBox"_s)->setValue(18080);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_COMPARE(changed.size(), 1);
    const QStringList keys = changed.first().first().toStringList();
    QVERIFY(keys.contains(SettingsKeys::aiUrl));
    QVERIFY(keys.contains(SettingsKeys::apiPort));
    QVERIFY(!keys.contains(SettingsKeys::aiModel));
    const QSettings settings;
    QCOMPARE(settings.value(SettingsKeys::aiUrl).toString(),
             u"http://127.0.0.1:11434/v1/chat/completions"_s);
    QCOMPARE(settings.value(SettingsKeys::apiPort).toInt(), 18080);
    QSettings().clear();
}

void TestMainWindow::settingsTakeADatabaseUriButNeverAPassword()
{
    QSettings().clear();
    showWindow();
    QTest::keySequence(m_window.get(), QKeySequence(u"Ctrl+,"_s));
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) != nullptr);
    auto *database = dialog->findChild<QLineEdit *>(u"databasePathLineEdit"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *error = dialog->findChild<QLabel *>(u"errorLabel"_s);

    database->setText(u"postgresql://alice:s3cret@db.example/tickets"_s);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY2(error->text().contains(u"pgpass"_s), qPrintable(error->text()));
    QVERIFY(!QSettings().contains(SettingsKeys::databasePath));

    database->setText(u"postgresql://db.example:notaport/tickets"_s);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(!QSettings().contains(SettingsKeys::databasePath));

    const QString uri = u"postgresql://alice@db.example/tickets?sslmode=require"_s;
    database->setText(uri);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(QSettings().value(SettingsKeys::databasePath).toString(), uri);
    QSettings().clear();
}

// The certificate and key are read when OK is pressed, so a wrong file is named in the dialog;
// only their paths are stored.
void TestMainWindow::settingsTakeTlsFilesThatWork()
{
    QSettings().clear();
    TestCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    const QString unrelatedKey = certificate.makeUnrelatedKey();
    QVERIFY(!unrelatedKey.isEmpty());
    showWindow();
    QSignalSpy changed(m_window.get(), &MainWindow::settingsChanged);
    QTest::keySequence(m_window.get(), QKeySequence(u"Ctrl+,"_s));
    SettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) != nullptr);
    auto *certificatePath = dialog->findChild<QLineEdit *>(u"tlsCertificateLineEdit"_s);
    auto *keyPath = dialog->findChild<QLineEdit *>(u"tlsKeyLineEdit"_s);
    auto *insecure = dialog->findChild<QCheckBox *>(u"insecureHttpCheckBox"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *error = dialog->findChild<QLabel *>(u"errorLabel"_s);
    QVERIFY(certificatePath && keyPath && insecure);
    QVERIFY(!insecure->isChecked());

    QTest::keyClicks(certificatePath, certificate.certificatePath());
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY2(error->text().contains(u"private key"_s), qPrintable(error->text()));

    QTest::keyClicks(keyPath, unrelatedKey);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY2(error->text().contains(u"does not belong"_s), qPrintable(error->text()));
    QVERIFY(!QSettings().contains(SettingsKeys::apiTlsKey));

    keyPath->setText(certificate.keyPath());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_COMPARE(changed.size(), 1);
    const QStringList keys = changed.first().first().toStringList();
    QVERIFY(keys.contains(SettingsKeys::apiTlsCertificate));
    QVERIFY(keys.contains(SettingsKeys::apiTlsKey));
    QVERIFY(!keys.contains(SettingsKeys::apiAllowInsecureHttp));
    QCOMPARE(QSettings().value(SettingsKeys::apiTlsCertificate).toString(),
             certificate.certificatePath());
    QCOMPARE(QSettings().value(SettingsKeys::apiTlsKey).toString(), certificate.keyPath());

    // The permission for plain HTTP is a setting of its own.
    QTest::keySequence(m_window.get(), QKeySequence(u"Ctrl+,"_s));
    QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) != nullptr &&
                dialog->isVisible());
    dialog->findChild<QCheckBox *>(u"insecureHttpCheckBox"_s)->setChecked(true);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(changed.last().first().toStringList(),
             QStringList{SettingsKeys::apiAllowInsecureHttp});
    QVERIFY(QSettings().value(SettingsKeys::apiAllowInsecureHttp).toBool());
    QSettings().clear();
}

void TestMainWindow::layoutIsKeptAcrossRestarts()
{
    QSettings().clear();
    showWindow();
    table()->horizontalHeader()->resizeSection(TicketTableModel::CategoryColumn, 211);
    m_window->resize(1010, 740);
    m_window->close();
    m_window.reset();

    showWindow();
    QCOMPARE(table()->horizontalHeader()->sectionSize(TicketTableModel::CategoryColumn), 211);
    QCOMPARE(m_window->size(), QSize(1010, 740));
    QSettings().clear();
}

namespace {

// Tickets per category in the window's chart, summed over its days.
QMap<QString, qint64> chartTotals(StatsView *view)
{
    QMap<QString, qint64> totals;
    auto *chartView = view->findChild<QChartView *>(u"dailyChartView"_s);
    for (QAbstractSeries *series : chartView->chart()->series()) {
        // The bars; the daily rating is a line beside them.
        auto *bars = qobject_cast<QStackedBarSeries *>(series);
        if (!bars)
            continue;
        for (QBarSet *set : bars->barSets()) {
            qint64 sum = 0;
            for (int i = 0; i < set->count(); ++i)
                sum += qint64(set->at(i));
            totals.insert(set->label(), sum);
        }
    }
    return totals;
}

} // namespace

void TestMainWindow::statisticsEqualTheApiAndFollowChanges()
{
    addTicket(u"a"_s, u"b"_s, Category::Technical);
    addTicket(u"b"_s, u"b"_s, Category::Billing);
    addTicket(u"c"_s, u"b"_s, Category::Billing);
    showWindow();
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    auto *view = m_window->findChild<StatsView *>();
    QVERIFY(view->isVisible());
    QTRY_COMPARE(view->stats().days.size(), 7);

    const QJsonObject json = m_server->client().get(u"/stats?days=7"_s).json();
    const QJsonObject byCategory = json.value(u"by_category"_s).toObject();
    QTRY_COMPARE(chartTotals(view).value(u"Billing"_s), byCategory.value(u"billing"_s).toInteger());
    QCOMPARE(chartTotals(view).value(u"Technical"_s), byCategory.value(u"technical"_s).toInteger());
    QCOMPARE(byCategory.value(u"billing"_s).toInteger(), 2);

    // A ticket the API takes shows in the open chart; so does another range.
    QCOMPARE(m_server->client()
                 .postJson(u"/requests"_s, R"({"subject":"Invoice","body":"charged twice"})")
                 .status,
             201);
    QTRY_COMPARE(view->stats().total(), 4);
    view->findChild<QComboBox *>(u"rangeComboBox"_s)->setCurrentIndex(1);
    QTRY_COMPARE(view->stats().days.size(), 30);
}

void TestMainWindow::statusBarShowsApiAiAndQueue()
{
    // A server of its own, with the rules classifier running beside it.
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    RunningServer server(options);
    MainWindow window(server.tickets(), testAccount(Role::Admin));
    window.setApi(&server.service(), server.baseUrl());
    window.setClassification(server.classification());
    window.show();
    QCOMPARE(server.client().get(u"/health"_s).status, 200);
    QCOMPARE(server.client().postJson(u"/requests"_s, R"({"text":"Printer broken"})").status, 201);

    auto *api = window.findChild<QLabel *>(u"apiStatusLabel"_s);
    auto *ai = window.findChild<QLabel *>(u"aiStatusLabel"_s);
    auto *queue = window.findChild<QLabel *>(u"queueStatusLabel"_s);
    QVERIFY(api && ai && queue);
    QTRY_VERIFY2(api->text().contains(QString::number(server.port())), qPrintable(api->text()));
    QTRY_VERIFY2(api->text().contains(u"2 requests"_s), qPrintable(api->text()));
    QTRY_VERIFY2(ai->text().contains(u"rules"_s), qPrintable(ai->text()));
    QTRY_VERIFY2(queue->text().contains(u"0 pending"_s), qPrintable(queue->text()));
}

// A model trained after the window opened suggests in the form, not the rules the window
// started with: on the team's tickets the two disagree.
void TestMainWindow::newTicketFormSuggestsWithTheModelInUse()
{
    ClassificationOptions options;
    options.order = {ClassificationProvider::Learned, ClassificationProvider::Rules};
    RunningServer server(options);
    MainWindow window(server.tickets(), testAccount(Role::Admin));
    window.setClassification(server.classification());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const QList<TrainingExample> examples = TrainingFixture::teamExamples();
    const auto trained = LocalModelTrainer().trainAndKeep(examples, server.database());
    QVERIFY(std::holds_alternative<LocalModelTrainer::Report>(trained));
    QVERIFY(std::get<LocalModelTrainer::Report>(trained).replaced);
    QTRY_VERIFY_WITH_TIMEOUT(server.classification()->status().learnedModel.has_value(), 5'000);
    const std::shared_ptr<const LocalClassifier> model =
        server.classification()->status().suggester;
    QVERIFY(model->modelName().startsWith(u"linear"_s));
    const RulesClassifier rules;
    const auto disputed = std::find_if(examples.cbegin(), examples.cend(), [&](const auto &e) {
        return model->predict(e.text).category == e.category &&
               rules.predict(e.text).category != e.category;
    });
    QVERIFY(disputed != examples.cend());

    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    NewTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<NewTicketDialog *>()) != nullptr);
    QSignalSpy suggested(dialog, &NewTicketDialog::suggestionChanged);
    // Pasted: the fixture's text has characters keyClicks cannot type.
    dialog->findChild<QPlainTextEdit *>(u"bodyPlainTextEdit"_s)->setPlainText(disputed->text);
    QTRY_VERIFY(!suggested.isEmpty());
    QVERIFY(dialog->suggestion());
    QCOMPARE(dialog->suggestion()->category, disputed->category);
    dialog->reject();
}

TestMainWindow::Offered TestMainWindow::offered()
{
    Offered offered;
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewsTabWidget"_s);
    const bool statisticsTab = tabs->count() == 2;
    const bool statisticsView = m_window->findChild<StatsView *>() != nullptr;
    auto *showStatistics = m_window->findChild<QAction *>(u"actionShowStatistics"_s);
    // Every sign agrees, or the role is only half applied.
    [&] {
        QCOMPARE(statisticsView, statisticsTab);
        QCOMPARE(showStatistics->isVisible(), statisticsTab);
        QCOMPARE(showStatistics->isEnabled(), statisticsTab);
    }();
    offered.statistics = statisticsTab;

    auto *adminMenu = m_window->findChild<QMenu *>(u"adminMenu"_s);
    auto *users = m_window->findChild<QAction *>(u"actionUsers"_s);
    auto *tokens = m_window->findChild<QAction *>(u"actionTokens"_s);
    const bool menu = adminMenu->menuAction()->isVisible();
    [&] {
        for (const QAction *action : {users, tokens}) {
            QCOMPARE(action->isVisible(), menu);
            QCOMPARE(action->isEnabled(), menu);
        }
    }();
    offered.administration = menu;

    QTest::keySequence(m_window.get(), QKeySequence(u"Ctrl+,"_s));
    SettingsDialog *dialog = nullptr;
    [&] {
        QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()) != nullptr);
    }();
    if (!dialog)
        return offered;
    [&] {
        QTRY_VERIFY(dialog->isVisible());
    }();
    const bool api = dialog->findChild<QGroupBox *>(u"apiGroupBox"_s)->isVisible();
    const bool ai = dialog->findChild<QGroupBox *>(u"aiGroupBox"_s)->isVisible();
    [&] {
        QCOMPARE(ai, api);
        QVERIFY(dialog->findChild<QGroupBox *>(u"databaseGroupBox"_s)->isVisible());
    }();
    offered.serviceSettings = api;
    // Gone before the window goes, or the next test's window misses its shortcuts.
    const QPointer<SettingsDialog> closing = dialog;
    dialog->reject();
    [&] {
        QTRY_VERIFY(closing.isNull());
    }();
    // Shortcuts need the window active again, which a closed dialog does not promise offscreen.
    m_window->activateWindow();
    [&] {
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }();
    return offered;
}

void TestMainWindow::agentSeesNoAdministrationNorStatistics()
{
    showWindow(Role::Agent, u"bob"_s);
    const Offered agent = offered();
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(!agent.statistics);
    QVERIFY(!agent.administration);
    QVERIFY(!agent.serviceSettings);
    // No menu of the bar says Admin, and the statistics shortcut leads nowhere.
    for (const QAction *action : m_window->menuBar()->actions())
        QVERIFY2(!action->isVisible() || !action->text().contains(u"Admin"_s),
                 qPrintable(action->text()));
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(m_window->findChild<QTabWidget *>(u"viewsTabWidget"_s)->currentIndex(), 0);
    QVERIFY(m_window->windowTitle().contains(u"bob"_s));
    QVERIFY(m_window->windowTitle().contains(u"Agent"_s));
    auto *user = m_window->findChild<QLabel *>(u"userStatusLabel"_s);
    QVERIFY2(user->text().contains(u"bob"_s) && user->text().contains(u"Agent"_s),
             qPrintable(user->text()));
}

void TestMainWindow::managerSeesStatisticsButNoAdministration()
{
    addTicket(u"a"_s, u"b"_s, Category::Billing);
    showWindow(Role::Manager, u"carol"_s);
    const Offered manager = offered();
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(manager.statistics);
    QVERIFY(!manager.administration);
    QVERIFY(!manager.serviceSettings);
    m_window->findChild<QAction *>(u"actionShowStatistics"_s)->trigger();
    auto *view = m_window->findChild<StatsView *>();
    QVERIFY(view->isVisible());
    QTRY_COMPARE(view->stats().total(), 1);
    QVERIFY(m_window->windowTitle().contains(u"Manager"_s));
}

void TestMainWindow::adminSeesEverything()
{
    showWindow(Role::Admin);
    const Offered admin = offered();
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(admin.statistics);
    QVERIFY(admin.administration);
    QVERIFY(admin.serviceSettings);
    // The menu's actions open the admins' dialogs.
    for (const QString &name : {u"Users"_s, u"Tokens"_s}) {
        m_window->findChild<QAction *>(u"action"_s + name)->trigger();
        QPointer<QDialog> dialog;
        QTRY_VERIFY((dialog = m_window->findChild<QDialog *>(name + u"Dialog"_s)) &&
                    dialog->isVisible());
        // Gone before the window goes, or the next test's window misses its shortcuts.
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());
    }
    QVERIFY(m_window->windowTitle().contains(u"Admin"_s));
}

// The window's actor is whoever signed in, not the operating system's account.
void TestMainWindow::verdictsAreRecordedAsTheSignedInUser()
{
    const qint64 id = addTicket(u"Charged twice"_s, u"b"_s, Category::Technical, 0.4);
    showWindow(Role::Agent, u"dora"_s);
    QTRY_COMPARE(model()->rowCount(), 1);
    selectRow(0);
    // Settled on the ticket: a reload still under way may yet clear the table's selection, but
    // not the ticket the detail pane shows, which a verdict then applies to.
    QTRY_COMPARE(m_window->findChild<TicketDetailWidget *>()->ticketId(), id);
    // The action rather than its key: which shortcut a key reaches is another test's matter.
    m_window->findChild<QAction *>(u"actionSetBilling"_s)->trigger();
    QTRY_COMPARE(m_tickets->find(id)->category, Category::Billing);
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(ticket->classification->model, u"dora"_s);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
