#include "apiservice.h"
#include "autoresolvedialog.h"
#include "autoresolverepository.h"
#include "classificationrepository.h"
#include "feedbackrepository.h"
#include "integrationtokens.h"
#include "mainwindow.h"
#include "messagerepository.h"
#include "newtokendialog.h"
#include "newwebhookdialog.h"
#include "onetimesecretdialog.h"
#include "rulesclassifier.h"
#include "secretskey.h"
#include "sentencesummarizer.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "temporarydatabase.h"
#include "testaccount.h"
#include "ticketrepository.h"
#include "ticketservice.h"
#include "tickettablemodel.h"
#include "timestamps.h"
#include "tokenlistmodel.h"
#include "tokensdialog.h"
#include "useraccounts.h"
#include "userformdialog.h"
#include "userlistmodel.h"
#include "usersdialog.h"
#include "webhookdeliverymodel.h"
#include "webhooklistmodel.h"
#include "webhookreceiver.h"
#include "webhooksdialog.h"
#include "webhookservice.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTabWidget>
#include <QTest>

using namespace Qt::StringLiterals;

// Renders the window with sample tickets into PNG files, the ones README shows. With
// SC_SCREENSHOT_DIR set (packaging/screenshots) it refreshes them; otherwise it writes to a
// temporary folder and only checks that what it rendered is a real picture.
class TestScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mainWindow();
    void statistics();
    void statisticsOutcomes();
    void identity();
    void webhooks();
    void autoResolve();
    void darkPalette();
    void cleanupTestCase();

private:
    void seedSampleTickets();
    void seedAutoResolutions();
    void seedConversation(const Ticket &ticket);
    void answerAndRate(const Ticket &ticket, int index);
    QString save(QWidget *widget, const QString &name);

    TemporaryDatabase m_database;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<ApiService> m_api;
    QTemporaryDir m_scratch;
    QString m_outputDir;
    std::unique_ptr<MainWindow> m_window;
};

void TestScreenshots::initTestCase()
{
    m_outputDir = qEnvironmentVariable("SC_SCREENSHOT_DIR", m_scratch.path());
    QVERIFY(QDir().mkpath(m_outputDir));
    seedSampleTickets();
    seedAutoResolutions();
    m_tickets = std::make_unique<TicketService>(m_database.database());
    m_api = std::make_unique<ApiService>(*m_tickets);
    const quint16 port = m_api->start(QHostAddress(QHostAddress::LocalHost), 0, 1);
    QVERIFY(port != 0);
    m_window = std::make_unique<MainWindow>(*m_tickets, testAccount(Role::Admin));
    m_window->setApi(m_api.get(), QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    m_window->resize(1280, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

// Written for these pictures; the public dataset stays outside the project.
void TestScreenshots::seedSampleTickets()
{
    const QList<std::pair<QString, QString>> samples{
        {u"VPN disconnects every few minutes"_s,
         u"Since the update yesterday our VPN client drops the connection every 5 minutes. We "
         "reinstalled it and rebooted the router, but the error persists."_s},
        {u"Charged twice for the March invoice"_s,
         u"Our credit card was charged twice for invoice 2026-0311. Please refund the duplicate "
         "payment and confirm by email."_s},
        {u"Change of billing address"_s,
         u"We moved offices. Please update the billing address on our account and on future "
         "invoices."_s},
        {u"Printer driver fails to install"_s,
         u"The installer stops with error 0x80070005 on Windows 11. Admin rights are granted."_s},
        {u"Question about opening hours"_s,
         u"Is your support line open on public holidays? We could not find this on the "
         "website."_s},
        {u"Refund for cancelled subscription"_s,
         u"I cancelled my subscription on the 2nd but was billed for the full month. I would "
         "like a pro-rated refund."_s},
        {u"Data export to CSV is empty"_s,
         u"When exporting the report to CSV the file only contains the header row. The same "
         "report shows 300 rows on screen."_s},
        {u"Feedback on the new dashboard"_s,
         u"Just wanted to say the new dashboard is much clearer. Thanks to the team!"_s},
        {u"Cannot log in after password reset"_s,
         u"After resetting my password the login page says the account is locked. Please "
         "help, I need access urgently for a client meeting."_s},
        {u"Upgrade our plan to 50 seats"_s,
         u"We would like to upgrade from the team plan to 50 seats. What would the new monthly "
         "price be and is the payment prorated?"_s},
        {u"Partnership enquiry"_s,
         u"We are a consultancy and would like to discuss a reseller partnership. Who is the "
         "right contact?"_s},
        {u"Server returns 502 after deployment"_s,
         u"Since deploying version 4.2 the API gateway returns 502 Bad Gateway for about a "
         "third of requests. Logs attached."_s},
    };
    TicketRepository tickets(m_database.database());
    ClassificationRepository classifications(m_database.database());
    const RulesClassifier rules;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 96; ++i) {
        const auto &[subject, body] = samples.at(i % samples.size());
        TicketDraft draft = TicketDraft::fromSubjectAndBody(subject, body, TicketSource::Api);
        // Spread over the past week, more on recent days.
        draft.createdAt =
            Timestamps::fromMs(now - qint64((i * 7919) % (7 * 24)) * 3600 * 1000 / (1 + i % 3));
        const Ticket ticket = tickets.create(draft);
        if (i < 2)
            continue; // just arrived: still being classified
        const Prediction prediction = rules.predict(draft.text());
        Classification classification;
        classification.ticketId = ticket.id;
        classification.category = prediction.category;
        classification.confidence = prediction.confidence;
        classification.priority = prediction.priority;
        classification.summary = SentenceSummarizer::summarize(draft.text());
        classification.provider = ClassificationProvider::Rules;
        classification.model = rules.modelName();
        classification.needsReview = prediction.confidence < 0.6;
        classifications.add(classification);
        if (i % 5 == 0) {
            answerAndRate(ticket, i);
            tickets.setStatus({ticket.id}, TicketStatus::Resolved, Actor::user(u"alice"_s));
        }
        if (i == 44) // the ticket on show
            seedConversation(ticket);
        // Agents confirm most verdicts they look at and correct a few.
        if (i % 4 == 1) {
            const Category verdict = i % 12 == 1
                                         ? kAllCategories.at((int(prediction.category) + 1) % 3)
                                         : prediction.category;
            classifications.addVerdict({ticket.id}, verdict, Actor::user(u"alice"_s));
        }
    }
}

// A reply after minutes or hours, every other one from a remote draft, and the customer's
// rating of it: a week of satisfaction and response times.
void TestScreenshots::answerAndRate(const Ticket &ticket, int index)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 created = Timestamps::toMs(ticket.createdAt);
    MessageRepository messages(m_database.database());
    const bool drafted = index % 10 == 0;
    messages.recordDraftOffer(ticket.id, DraftOrigin::kRemoteProvider, u"gpt-4o-mini"_s,
                              Actor::user(u"alice"_s));
    if (index % 15 == 0)
        messages.recordDraftOffer(ticket.id, DraftOrigin::kLocalProvider, DraftOrigin::kLocalModel,
                                  Actor::user(u"alice"_s));
    TicketMessage reply;
    reply.ticketId = ticket.id;
    reply.authorName = u"alice"_s;
    reply.body = u"Thank you, this is fixed now."_s;
    const qint64 repliedAt = std::min(now, created + qint64(15 + (index * 37) % 600) * 60 * 1000);
    reply.createdAt = Timestamps::fromMs(repliedAt);
    if (drafted)
        reply.draft = DraftOrigin{DraftOrigin::kRemoteProvider, u"gpt-4o-mini"_s, index % 40};
    messages.add(reply, Actor::user(u"alice"_s));
    FeedbackRepository(m_database.database())
        .record(Feedback{ticket.id,
                         drafted ? 4 + index % 2 : 2 + index % 4,
                         {},
                         index % 3 != 0,
                         u"survey"_s,
                         Timestamps::fromMs(std::min(now, repliedAt + 3600 * 1000))});
}

// Billing on at 0.90: a few of the open billing tickets answered from a resolved one, and one
// of those reopened by its customer.
void TestScreenshots::seedAutoResolutions()
{
    AutoResolveRepository autoResolve(m_database.database());
    const Actor admin = Actor::user(u"admin"_s);
    autoResolve.setRule(Category::Billing, 0.9, admin);
    autoResolve.setRule(Category::Technical, 0.95, admin);
    TicketRepository tickets(m_database.database());
    TicketQuery billing;
    billing.category = Category::Billing;
    billing.status = TicketStatus::Open;
    qint64 resolved = 0;
    for (const Ticket &ticket : tickets.range(billing, TicketOrder{}, 0, 200)) {
        if (resolved == 5 || ticket.status != TicketStatus::Open || !ticket.classification ||
            ticket.classification->provider == ClassificationProvider::Agent)
            continue;
        const std::optional<TicketMessage> sent = autoResolve.resolve(
            {ticket.id, Category::Billing, ticket.classification->id, 1, 0.93, 0.92,
             u"Dear customer,\n\nthe duplicate payment has been refunded to your card."_s},
            Actor::system(u"auto-resolve"_s));
        if (sent && ++resolved == 1) {
            TicketMessage again;
            again.ticketId = ticket.id;
            again.author = MessageAuthor::Customer;
            again.body = u"The refund has not arrived yet."_s;
            MessageRepository(m_database.database())
                .add(again, Actor::integration(u"mail-gateway"_s));
        }
    }
}

void TestScreenshots::seedConversation(const Ticket &ticket)
{
    MessageRepository messages(m_database.database());
    const auto add = [&](MessageAuthor author, MessageVisibility visibility, const QString &body,
                         qint64 minutesAfter, std::optional<TicketStatus> status) {
        TicketMessage message;
        message.ticketId = ticket.id;
        message.author = author;
        message.authorName = author == MessageAuthor::Customer ? QString() : u"alice"_s;
        message.visibility = visibility;
        message.body = body;
        message.createdAt = ticket.createdAt.addSecs(minutesAfter * 60);
        const Actor actor = author == MessageAuthor::Customer
                                ? Actor::integration(u"mail-gateway"_s)
                                : Actor::user(u"alice"_s);
        return messages.add(message, actor, status)->message.id;
    };
    const qint64 reply = add(MessageAuthor::Agent, MessageVisibility::Public,
                             u"Hello Dana,\n\nthe account locks after five failed attempts. I "
                             "have unlocked it; could you try again and tell me if it works?\n\n"
                             "Alice"_s,
                             18, TicketStatus::Waiting);
    messages.setDelivery(ticket.id, reply, DeliveryStatus::Delivered);
    add(MessageAuthor::Customer, MessageVisibility::Public,
        u"Still locked, I am afraid. It says \"Too many attempts\"."_s, 41, std::nullopt);
    add(MessageAuthor::Agent, MessageVisibility::Internal,
        u"The SSO connector retries the old password in the background. Asking Bob to reset "
        "the connector."_s,
        44, std::nullopt);
}

QString TestScreenshots::save(QWidget *widget, const QString &name)
{
    const QString path = QDir(m_outputDir).filePath(name);
    const QImage image = widget->grab().toImage();
    if (!image.save(path))
        return {};
    return path;
}

void TestScreenshots::mainWindow()
{
    TicketTableModel *model = m_window->ticketModel();
    QTRY_COMPARE(model->rowCount(), 96);
    auto *table = m_window->findChild<QTableView *>(u"ticketTableView"_s);
    QTRY_VERIFY(model->ticketAt(3));
    table->selectRow(3);
    QTest::qWait(300); // the detail pane reads its ticket from the storage thread
    const QString path = save(m_window.get(), u"main-window.png"_s);
    QVERIFY(!path.isEmpty());

    const QImage image(path);
    QCOMPARE(image.width(), m_window->width() * int(m_window->devicePixelRatio()));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 20, "the picture is nearly blank");
}

// The window follows the system palette; the charts, which have their own theme, must too.
void TestScreenshots::darkPalette()
{
    QApplication::setStyle(u"Fusion"_s);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    dark.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x40));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    QApplication::setPalette(dark);
    QTest::qWait(300);
    const QString path = save(m_window.get(), u"statistics-dark.png"_s);
    QVERIFY(!path.isEmpty());
    auto *chart = m_window->findChild<QWidget *>(u"dailyChartView"_s);
    const QImage image = chart->grab().toImage();
    const QColor middle = image.pixelColor(image.width() / 2, image.height() / 8);
    QVERIFY2(middle.lightness() < 96, qPrintable(middle.name()));

    auto *tabs = m_window->findChild<QTabWidget *>(u"viewsTabWidget"_s);
    tabs->setCurrentIndex(0);
    QTest::qWait(200);
    QVERIFY(!save(m_window.get(), u"main-window-dark.png"_s).isEmpty());
}

// What signing in and the admins' dialogs look like, and the window an agent gets.
void TestScreenshots::identity()
{
    {
        // Before anyone can sign in: the dialog names the command that makes the first admin.
        SignInDialog first(*m_tickets);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        auto *message = first.findChild<QLabel *>(u"messageLabel"_s);
        QTRY_VERIFY(message->isVisible());
        QVERIFY(!save(&first, u"sign-in-first.png"_s).isEmpty());
    }
    const Actor admin = Actor::user(u"alice"_s);
    UserAccounts users(m_database.database());
    QVERIFY(users.add(u"alice"_s, Role::Admin, u"an admin's long passphrase"_s, admin).ok());
    QVERIFY(users.add(u"bob"_s, Role::Agent, u"correct horse battery"_s, admin).ok());
    QVERIFY(users.add(u"carol"_s, Role::Manager, u"another long passphrase"_s, admin).ok());
    QVERIFY(users.disable(u"bob"_s, admin).ok());
    IntegrationTokens tokens(m_database.database());
    QVERIFY(std::holds_alternative<IntegrationTokens::Created>(
        tokens.create(u"crm"_s, Scope::TicketsRead | Scope::TicketsWrite, std::nullopt, admin)));
    QVERIFY(std::holds_alternative<IntegrationTokens::Created>(
        tokens.create(u"reports"_s, Scope::StatsRead, 90, admin)));
    QVERIFY(std::holds_alternative<IntegrationTokens::Created>(
        tokens.create(u"old-form"_s, Scope::TicketsWrite, std::nullopt, admin)));
    QVERIFY(tokens.revoke(u"old-form"_s, admin));

    SignInDialog signIn(*m_tickets);
    signIn.show();
    QVERIFY(QTest::qWaitForWindowExposed(&signIn));
    signIn.setUserName(u"alice"_s);
    signIn.findChild<QLineEdit *>(u"passwordLineEdit"_s)->setText(u"not her password"_s);
    QSignalSpy refused(&signIn, &SignInDialog::signInRefused);
    signIn.accept();
    QTRY_VERIFY_WITH_TIMEOUT(!refused.isEmpty(), 10'000);
    QVERIFY(!save(&signIn, u"sign-in.png"_s).isEmpty());
    signIn.close();

    m_window->findChild<QAction *>(u"actionUsers"_s)->trigger();
    auto *usersDialog = m_window->findChild<UsersDialog *>();
    QVERIFY(usersDialog);
    QTRY_COMPARE(usersDialog->model()->rowCount(), 3);
    QVERIFY(!save(usersDialog, u"users.png"_s).isEmpty());
    QTest::mouseClick(usersDialog->findChild<QPushButton *>(u"addUserPushButton"_s),
                      Qt::LeftButton);
    UserFormDialog *form = nullptr;
    QTRY_VERIFY((form = usersDialog->findChild<UserFormDialog *>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(form));
    QVERIFY(!save(form, u"user-form.png"_s).isEmpty());
    form->reject();
    usersDialog->reject();

    m_window->findChild<QAction *>(u"actionTokens"_s)->trigger();
    auto *tokensDialog = m_window->findChild<TokensDialog *>();
    QVERIFY(tokensDialog);
    QTRY_COMPARE(tokensDialog->model()->rowCount(), 3);
    QVERIFY(!save(tokensDialog, u"tokens.png"_s).isEmpty());
    QTest::mouseClick(tokensDialog->findChild<QPushButton *>(u"createPushButton"_s),
                      Qt::LeftButton);
    NewTokenDialog *tokenForm = nullptr;
    QTRY_VERIFY((tokenForm = tokensDialog->findChild<NewTokenDialog *>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(tokenForm));
    QTest::keyClicks(tokenForm->findChild<QLineEdit *>(u"nameLineEdit"_s), u"my-scripts"_s);
    QVERIFY(!save(tokenForm, u"new-token.png"_s).isEmpty());
    QSignalSpy created(tokensDialog, &TokensDialog::tokenCreated);
    tokenForm->accept();
    QTRY_VERIFY_WITH_TIMEOUT(!created.isEmpty(), 10'000);
    OneTimeSecretDialog *secret = nullptr;
    QTRY_VERIFY((secret = tokensDialog->findChild<OneTimeSecretDialog *>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(secret));
    QVERIFY(!save(secret, u"token-secret.png"_s).isEmpty());
    secret->reject();
    tokensDialog->reject();

    for (const Role role : {Role::Agent, Role::Manager}) {
        MainWindow window(*m_tickets,
                          testAccount(role, role == Role::Agent ? u"bob"_s : u"carol"_s));
        window.resize(1280, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(window.ticketModel()->rowCount(), 96);
        QTest::qWait(300);
        QVERIFY(!save(&window, u"window-%1.png"_s.arg(roleName(role))).isEmpty());
        window.findChild<QAction *>(u"actionSettings"_s)->trigger();
        SettingsDialog *settings = nullptr;
        QTRY_VERIFY((settings = window.findChild<SettingsDialog *>()) != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(settings));
        QVERIFY(!save(settings, u"settings-%1.png"_s.arg(roleName(role))).isEmpty());
        settings->reject();
    }
    m_window->findChild<QAction *>(u"actionSettings"_s)->trigger();
    SettingsDialog *settings = nullptr;
    QTRY_VERIFY((settings = m_window->findChild<SettingsDialog *>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(settings));
    QVERIFY(!save(settings, u"settings-admin.png"_s).isEmpty());
    settings->reject();
}

// Two receivers: one that takes every change, one that keeps failing.
void TestScreenshots::webhooks()
{
    QProcessEnvironment environment;
    environment.insert(QString(SecretsKey::kFileVariable), m_scratch.filePath(u"secrets.key"_s));
    SecretsKey key(environment, QString());
    WebhookDispatcher::Options options;
    options.pollInterval = std::chrono::milliseconds(50);
    options.firstRetryDelay = std::chrono::milliseconds(60'000);
    WebhookService service(*m_tickets, key, options);
    WebhookReceiver crm;
    WebhookReceiver survey;
    survey.setDefaultAnswer(WebhookReceiver::Answer::fail(503));
    const Actor admin = Actor::user(u"admin"_s);
    const auto added = service.add(survey.url(), {u"ticket.rated"_s, u"ticket.replied"_s}, admin);
    QVERIFY(std::holds_alternative<WebhookService::Created>(added));
    survey.setSecret(std::get<WebhookService::Created>(added).secret);
    const auto main = service.add(crm.url(), ChangeEvent::types(), admin);
    QVERIFY(std::holds_alternative<WebhookService::Created>(main));
    crm.setSecret(std::get<WebhookService::Created>(main).secret);
    service.start();
    m_window->setWebhooks(&service);

    TicketRepository tickets(m_database.database());
    const Actor ada = Actor::user(u"ada"_s);
    for (const QString &text : {u"The invoice for March lists the wrong VAT number."_s,
                                u"Since the update the app logs me out every few minutes."_s}) {
        const Ticket ticket = tickets.create(TicketDraft::fromText(text, TicketSource::Api));
        tickets.setStatus({ticket.id}, TicketStatus::InProgress, ada);
        TicketMessage reply;
        reply.ticketId = ticket.id;
        reply.authorName = ada.name;
        reply.body = u"Thank you, we are looking into it."_s;
        QVERIFY(MessageRepository(m_database.database()).add(reply, ada));
    }
    QTRY_VERIFY_WITH_TIMEOUT(crm.acceptedIds().size() >= 6, 10'000);
    QTRY_VERIFY(survey.received().size() >= 2);

    m_window->findChild<QAction *>(u"actionWebhooks"_s)->trigger();
    auto *dialog = m_window->findChild<WebhooksDialog *>();
    QVERIFY(dialog);
    QTRY_COMPARE(dialog->model()->rowCount(), 2);
    QTRY_VERIFY(dialog->deliveries()->rowCount() >= 6);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(!save(dialog, u"webhooks.png"_s).isEmpty());
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"addPushButton"_s), Qt::LeftButton);
    NewWebhookDialog *form = nullptr;
    QTRY_VERIFY((form = dialog->findChild<NewWebhookDialog *>()) != nullptr);
    QVERIFY(QTest::qWaitForWindowExposed(form));
    QVERIFY(!save(form, u"new-webhook.png"_s).isEmpty());
    form->reject();
    dialog->reject();
    delete dialog;
    m_window->setWebhooks(nullptr);
}

void TestScreenshots::autoResolve()
{
    m_window->findChild<QAction *>(u"actionAutoResolve"_s)->trigger();
    auto *dialog = m_window->findChild<AutoResolveDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->enabledBox(Category::Billing)->isChecked());
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(!save(dialog, u"auto-resolve.png"_s).isEmpty());
    dialog->reject();
    delete dialog;
}

void TestScreenshots::cleanupTestCase()
{
    m_window.reset();
    m_api->stop();
}

void TestScreenshots::statistics()
{
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewsTabWidget"_s);
    tabs->setCurrentIndex(1);
    QTest::qWait(500);
    QVERIFY(!save(m_window.get(), u"statistics.png"_s).isEmpty());
}

void TestScreenshots::statisticsOutcomes()
{
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewsTabWidget"_s);
    tabs->setCurrentIndex(1);
    auto *trends = m_window->findChild<QTabWidget *>(u"trendsTabWidget"_s);
    QVERIFY(trends);
    trends->setCurrentIndex(1);
    QTest::qWait(300);
    QVERIFY(!save(m_window.get(), u"statistics-outcomes.png"_s).isEmpty());
    trends->setCurrentIndex(0);
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
