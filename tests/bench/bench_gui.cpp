// The window at production scale: start-up to a populated table, filter changes, jumps deep into
// the table, resident memory, and event-loop stalls while the in-process API takes a steady POST
// load, all on a copy of the benchmark database. Prints one "GUI key=value ..." line per result.
#include "apiservice.h"
#include "classificationservice.h"
#include "database.h"
#include "databaselocation.h"
#include "mainwindow.h"
#include "rawhttpconnection.h"
#include "testtoken.h"
#include "ticketservice.h"
#include "tickettablemodel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <unistd.h>
#include <variant>

namespace {

// Milliseconds since the kernel started this process, so start-up includes loading libraries.
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray statLine = stat.readAll();
    // Fields after the command name, which is in parentheses and may contain spaces.
    const QList<QByteArray> fields = statLine.mid(statLine.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble();
    const double upSeconds = uptime.readAll().split(' ').value(0).toDouble();
    return (upSeconds - startTicks / double(sysconf(_SC_CLK_TCK))) * 1000.0;
}

qint64 residentKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// Sends POST /requests at a fixed rate over keep-alive connections, on a thread of its own, as
// an external system would, with a token of its own.
class PostLoad final : public QObject
{
public:
    PostLoad(quint16 port, QByteArray token, int perSecond)
        : m_port(port)
        , m_token(std::move(token))
        , m_perSecond(perSecond)
    {}

    void start()
    {
        for (int i = 0; i < 16; ++i) {
            auto *connection = new RawHttpConnection(m_port, m_token, this);
            connect(connection, &RawHttpConnection::responseReceived, this,
                    [this](int status, const QByteArray &) {
                        if (status == 201)
                            ++m_created;
                        else
                            ++m_failed;
                    });
            connection->open();
            m_connections.append(connection);
        }
        m_clock.start();
        auto *timer = new QTimer(this);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer, &QTimer::timeout, this, &PostLoad::sendDue);
        timer->start(5);
    }

    std::atomic<qint64> m_created = 0;
    std::atomic<qint64> m_failed = 0;
    std::atomic<qint64> m_skipped = 0;

private:
    void sendDue()
    {
        const qint64 due = m_clock.elapsed() * m_perSecond / 1000;
        while (m_sent < due) {
            auto idle = std::find_if(m_connections.begin(), m_connections.end(),
                                     [](RawHttpConnection *c) { return c->isIdle(); });
            if (idle == m_connections.end()) {
                ++m_skipped; // every connection busy: the server is behind
                ++m_sent;
                continue;
            }
            (*idle)->send("POST", "/requests",
                          QByteArrayLiteral("{\"subject\":\"Load ") + QByteArray::number(m_sent) +
                              QByteArrayLiteral("\",\"body\":\"My invoice was charged twice, "
                                                "please refund the payment.\"}"));
            ++m_sent;
        }
    }

    quint16 m_port;
    QByteArray m_token;
    int m_perSecond;
    qint64 m_sent = 0;
    QElapsedTimer m_clock;
    QList<RawHttpConnection *> m_connections;
};

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SupportConsoleBench"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("SQLite file (a copy: it is written) or PostgreSQL URI"),
        QStringLiteral("path"));
    const QCommandLineOption rateOption(QStringLiteral("posts-per-second"),
                                        QStringLiteral("POST load (default 1000)"),
                                        QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption secondsOption(QStringLiteral("load-seconds"),
                                           QStringLiteral("POST load duration (default 10)"),
                                           QStringLiteral("s"), QStringLiteral("10"));
    parser.addOptions({databaseOption, rateOption, secondsOption});
    parser.process(app);
    if (!parser.isSet(databaseOption))
        parser.showHelp(2);

    auto parsed = DatabaseLocation::parse(parser.value(databaseOption));
    if (const QString *problem = std::get_if<QString>(&parsed))
        qFatal("%s", qPrintable(*problem));
    DatabaseConfig config = std::get<DatabaseConfig>(parsed);
    config.memoryMapBytes = 0; // as the console's window runs it
    const Database database(config);
    database.migrate();
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    ClassificationService classification(database, options);
    classification.start();
    TicketService tickets(database, &classification);
    ApiService api(tickets);
    const quint16 port = api.start(QHostAddress(QHostAddress::LocalHost), 0);
    if (port == 0)
        qFatal("the API did not start: %s", qPrintable(api.errorString()));

    // --- start-up ---------------------------------------------------------------------------
    // As its one-person console's owner opens it: an admin, with every menu and tab.
    UserAccount owner;
    owner.name = Actor::desktopUser().name;
    owner.role = Role::Admin;
    auto window = std::make_unique<MainWindow>(tickets, owner);
    window->setApi(&api, QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
    window->setClassification(&classification);
    TicketTableModel *model = window->ticketModel();
    QSignalSpy reloaded(model, &TicketTableModel::reloaded);
    window->resize(1280, 800);
    window->show();
    // The first page may arrive before the window even shows.
    if (!QTest::qWaitFor([&] { return model->ticketAt(0) != nullptr; }, 30000))
        qFatal("the table never loaded");
    QCoreApplication::processEvents(); // the first paint with rows
    printf("GUI startup_ms=%.0f since_main_ms=%.0f rows=%d\n", msSinceProcessStart(),
           msSince(sinceMain), model->rowCount());
    fflush(stdout);

    // --- filter changes ---------------------------------------------------------------------
    const auto measure = [&](const char *name, const std::function<void()> &change) {
        reloaded.clear();
        QElapsedTimer timer;
        timer.start();
        // An event loop that ends on the signal itself: qWaitFor() polls in 10 ms naps.
        QEventLoop loop;
        QObject::connect(model, &TicketTableModel::reloaded, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, [name] { qFatal("filter %s never loaded", name); });
        change();
        if (reloaded.isEmpty())
            loop.exec();
        const double ms = msSince(timer);
        printf("GUI filter=%s ms=%.1f rows=%d\n", name, ms, model->rowCount());
        fflush(stdout);
        return ms;
    };
    const auto button = [&](const char *name) {
        return window->findChild<QAbstractButton *>(QLatin1String(name));
    };
    auto *status = window->findChild<QComboBox *>(QStringLiteral("statusComboBox"));
    auto *review = window->findChild<QCheckBox *>(QStringLiteral("needsReviewCheckBox"));
    auto *search = window->findChild<QLineEdit *>(QStringLiteral("searchLineEdit"));
    QList<double> filterMs;
    filterMs << measure("technical", [&] { button("technicalCategoryButton")->click(); });
    filterMs << measure("billing", [&] { button("billingCategoryButton")->click(); });
    filterMs << measure("general", [&] { button("generalCategoryButton")->click(); });
    filterMs << measure("all", [&] { button("allCategoryButton")->click(); });
    filterMs << measure("status_open", [&] { status->setCurrentIndex(1); });
    filterMs << measure("billing_open", [&] { button("billingCategoryButton")->click(); });
    filterMs << measure("billing_any_status", [&] { status->setCurrentIndex(0); });
    filterMs << measure("billing_review", [&] { review->setChecked(true); });
    filterMs << measure("technical_review", [&] { button("technicalCategoryButton")->click(); });
    filterMs << measure("all_review", [&] { button("allCategoryButton")->click(); });
    filterMs << measure("no_review", [&] { review->setChecked(false); });
    for (const char *word : {"refund", "password", "printer"}) {
        const QByteArray name = QByteArray("search_") + word;
        filterMs << measure(name.constData(), [&] {
            search->setText(QLatin1String(word));
            Q_EMIT search->returnPressed();
        });
    }
    filterMs << measure("search_cleared", [&] {
        search->clear();
        Q_EMIT search->returnPressed();
    });
    // A word in a third of all tickets: reported apart, it is the search's worst case.
    const double commonWordMs = measure("search_common_word", [&] {
        search->setText(QStringLiteral("please"));
        Q_EMIT search->returnPressed();
    });
    measure("search_cleared_again", [&] {
        search->clear();
        Q_EMIT search->returnPressed();
    });
    printf("GUI common_word_search_ms=%.1f\n", commonWordMs);
    std::sort(filterMs.begin(), filterMs.end());
    printf("GUI filters=%lld max_ms=%.1f median_ms=%.1f\n", qint64(filterMs.size()),
           filterMs.last(), filterMs.at(filterMs.size() / 2));

    // --- jumps deep into the table ----------------------------------------------------------
    auto *table = window->findChild<QTableView *>(QStringLiteral("ticketTableView"));
    for (const double fraction : {0.5, 0.999, 0.25}) {
        const int row = int((model->rowCount() - 1) * fraction);
        QElapsedTimer timer;
        timer.start();
        table->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
        QCoreApplication::processEvents();
        if (!QTest::qWaitFor([&] { return model->ticketAt(row) != nullptr; }, 30000))
            qFatal("row %d never loaded", row);
        printf("GUI jump_row=%d ms=%.1f\n", row, msSince(timer));
    }
    for (const int column :
         {int(TicketTableModel::CategoryColumn), int(TicketTableModel::ConfidenceColumn)}) {
        measure(column == TicketTableModel::CategoryColumn ? "sort_category" : "sort_confidence",
                [&] { table->sortByColumn(column, Qt::DescendingOrder); });
    }
    measure("sort_received",
            [&] { table->sortByColumn(TicketTableModel::ReceivedColumn, Qt::DescendingOrder); });
    table->scrollToTop();
    printf("GUI rss_mb=%.0f peak_rss_mb=%.0f anon_mb=%.0f file_mb=%.0f\n",
           double(residentKb("VmRSS:")) / 1024.0, double(residentKb("VmHWM:")) / 1024.0,
           double(residentKb("RssAnon:")) / 1024.0, double(residentKb("RssFile:")) / 1024.0);
    fflush(stdout);

    // --- responsiveness under POST load -----------------------------------------------------
    const int perSecond = parser.value(rateOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    QThread loadThread;
    // The database is a copy for this run, but a unique name keeps a second run on it working.
    auto *load = new PostLoad(
        port,
        makeTestToken(database, Scope::TicketsWrite,
                      QStringLiteral("bench-gui-%1").arg(QDateTime::currentMSecsSinceEpoch())),
        perSecond);
    load->moveToThread(&loadThread);
    QObject::connect(&loadThread, &QThread::finished, load, &QObject::deleteLater);
    loadThread.start();
    const int rowsBefore = model->rowCount();
    QMetaObject::invokeMethod(load, [load] { load->start(); });

    QList<double> gaps;
    QElapsedTimer tick;
    tick.start();
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] {
        gaps.append(msSince(tick));
        tick.restart();
    });
    heartbeat.start(5);
    QElapsedTimer loadClock;
    loadClock.start();
    QTest::qWait(seconds * 1000);
    heartbeat.stop();
    const double loadSeconds = msSince(loadClock) / 1000.0;
    const qint64 created = load->m_created;
    const qint64 failed = load->m_failed;
    const qint64 skipped = load->m_skipped;
    loadThread.quit();
    loadThread.wait();
    std::sort(gaps.begin(), gaps.end());
    const auto percentile = [&](double p) {
        return gaps.at(qsizetype(p * (gaps.size() - 1)));
    };
    // A stall is how much longer than the 5 ms heartbeat the loop was away.
    printf("GUI load_posts_per_s=%.0f created=%lld failed=%lld skipped=%lld stall_max_ms=%.1f "
           "stall_p99_ms=%.1f stall_p50_ms=%.1f rows_added=%d\n",
           double(created) / loadSeconds, created, failed, skipped,
           std::max(0.0, gaps.last() - 5.0), std::max(0.0, percentile(0.99) - 5.0),
           std::max(0.0, percentile(0.5) - 5.0), model->rowCount() - rowsBefore);
    printf("GUI rss_after_load_mb=%.0f peak_rss_mb=%.0f\n", double(residentKb("VmRSS:")) / 1024.0,
           double(residentKb("VmHWM:")) / 1024.0);
    fflush(stdout);

    window.reset();
    api.stop();
    classification.stop();
    database.closeThreadConnection();
    return 0;
}
