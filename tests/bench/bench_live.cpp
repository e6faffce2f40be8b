// Cross-console live update: how long after a node answers 201 to a POST /requests the new ticket
// shows in another process's window. This process runs the console's window on the offscreen
// platform against the shared database, without an API of its own; the tickets go to a separate
// node process (--port) and reach this window only through the database's change notifications
// (LISTEN/NOTIFY on PostgreSQL). Prints "LIVE key=value ..." lines.

#include "database.h"
#include "databaselocation.h"
#include "mainwindow.h"
#include "rawhttpconnection.h"
#include "testtoken.h"
#include "ticketservice.h"
#include "tickettablemodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <variant>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SupportConsoleBench"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption databaseOption(QStringLiteral("database"),
                                            QStringLiteral("The node's database (URI or file)"),
                                            QStringLiteral("uri"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("The other node's API port on 127.0.0.1"),
                                        QStringLiteral("port"));
    const QCommandLineOption postsOption(QStringLiteral("posts"),
                                         QStringLiteral("Tickets to post (default 40)"),
                                         QStringLiteral("n"), QStringLiteral("40"));
    parser.addOptions({databaseOption, portOption, postsOption});
    parser.process(app);
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    bool postsOk = false;
    const int posts = parser.value(postsOption).toInt(&postsOk);
    if (!parser.isSet(databaseOption) || !portOk || port == 0 || port > 65535 || !postsOk ||
        posts < 1 || posts > 10000) {
        parser.showHelp(2);
    }
    auto parsed = DatabaseLocation::parse(parser.value(databaseOption));
    if (const QString *problem = std::get_if<QString>(&parsed))
        qFatal("%s", qPrintable(*problem));
    DatabaseConfig config = std::get<DatabaseConfig>(parsed);
    config.memoryMapBytes = 0; // as the console's window runs it
    const Database database(config);
    database.migrate();
    TicketService tickets(database);
    // As its one-person console's owner opens it: an admin, with every menu and tab.
    UserAccount owner;
    owner.name = Actor::desktopUser().name;
    owner.role = Role::Admin;
    auto window = std::make_unique<MainWindow>(tickets, owner);
    TicketTableModel *model = window->ticketModel();
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitFor([&] { return model->ticketAt(0) != nullptr; }, 30000))
        qFatal("the table never loaded");

    // The other node checks it against the same database.
    RawHttpConnection connection{
        quint16(port),
        makeTestToken(database, Scope::TicketsWrite,
                      QStringLiteral("bench-live-%1").arg(QDateTime::currentMSecsSinceEpoch()))};
    int status = 0;
    QByteArray answer;
    bool answered = false;
    QElapsedTimer sinceAnswer;
    QObject::connect(&connection, &RawHttpConnection::responseReceived,
                     [&](int code, const QByteArray &body) {
                         sinceAnswer.start();
                         status = code;
                         answer = body;
                         answered = true;
                     });
    connection.open();
    if (!QTest::qWaitFor([&] { return connection.isIdle(); }, 10000))
        qFatal("could not connect to the node on port %u", port);

    QList<double> latencies;
    QList<double> fromSend;
    int missed = 0;
    for (int i = 0; i < posts; ++i) {
        // Spread over the change monitor's and the window's coalescing intervals.
        QTest::qWait(int(QRandomGenerator::global()->bounded(150, 400)));
        answered = false;
        QElapsedTimer sinceSend;
        sinceSend.start();
        connection.send("POST", "/requests",
                        QByteArrayLiteral("{\"subject\":\"Live update ") + QByteArray::number(i) +
                            QByteArrayLiteral("\",\"body\":\"The VPN drops every few minutes "
                                              "since this morning.\"}"));
        if (!QTest::qWaitFor([&] { return answered; }, 10000) || status != 201)
            qFatal("POST %d failed: %d %s", i, status, answer.constData());
        const qint64 id = QJsonDocument::fromJson(answer).object().value(u"id").toInteger();
        // Checked after every event rather than polled, so the time is the first moment it shows.
        QEventLoop loop;
        QTimer giveUp;
        giveUp.setSingleShot(true);
        QObject::connect(&giveUp, &QTimer::timeout, &loop, &QEventLoop::quit);
        const auto check = [&] {
            if (model->rowOfTicket(id) >= 0)
                loop.quit();
        };
        QObject::connect(model, &TicketTableModel::refreshed, &loop, check);
        QObject::connect(model, &TicketTableModel::reloaded, &loop, check);
        QObject::connect(model, &QAbstractItemModel::rowsInserted, &loop, check);
        QObject::connect(model, &QAbstractItemModel::modelReset, &loop, check);
        giveUp.start(10000);
        if (model->rowOfTicket(id) < 0)
            loop.exec();
        if (model->rowOfTicket(id) < 0) {
            ++missed;
            continue;
        }
        latencies.append(double(sinceAnswer.nsecsElapsed()) / 1e6);
        fromSend.append(double(sinceSend.nsecsElapsed()) / 1e6);
    }
    if (latencies.isEmpty())
        qFatal("no ticket ever showed");
    std::sort(latencies.begin(), latencies.end());
    std::sort(fromSend.begin(), fromSend.end());
    const auto percentile = [](const QList<double> &sorted, double p) {
        return sorted.at(qsizetype(p * double(sorted.size() - 1) + 0.5));
    };
    printf("LIVE posts=%d shown=%lld missed=%d p50_ms=%.1f p95_ms=%.1f max_ms=%.1f "
           "from_send_p95_ms=%.1f\n",
           posts, qint64(latencies.size()), missed, percentile(latencies, 0.5),
           percentile(latencies, 0.95), latencies.last(), percentile(fromSend, 0.95));
    fflush(stdout);
    window.reset();
    database.closeThreadConnection();
    return missed == 0 ? 0 : 1;
}
