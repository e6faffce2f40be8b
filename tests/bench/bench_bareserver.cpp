// A bare QHttpServer on the same routes as the API, answering fixed bodies of a ticket's size with
// no database, token or validation: what Qt's own HTTP server costs per request on this machine,
// the ceiling edge.sh sets the program and its previous commit beside. It prints the same
// "listening on http://127.0.0.1:PORT/" line as the program, so the script starts it the same way.

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // About the size of GET /requests/{id} and of the 201 to POST /requests at 1,000,000 tickets.
    const QByteArray ticket =
        R"({"id":1,"subject":"Cannot sync calendar after the update","body":")" +
        QByteArray(700, 'x') +
        R"(","status":"open","priority":"medium","category":"technical","confidence":0.82,)"
        R"("summary":"Sync fails after the update.","created_at":"2026-12-06T10:00:00Z",)"
        R"("updated_at":"2026-12-06T10:00:00Z","version":1})";

    QHttpServer server;
    server.route(QStringLiteral("/requests/<arg>"), QHttpServerRequest::Method::Get,
                 [&ticket](qint64) { return QHttpServerResponse("application/json", ticket); });
    server.route(QStringLiteral("/requests"), QHttpServerRequest::Method::Post,
                 [&ticket](const QHttpServerRequest &) {
                     return QHttpServerResponse("application/json", ticket,
                                                QHttpServerResponder::StatusCode::Created);
                 });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0) {
        std::fprintf(stderr, "bench_bareserver: cannot listen\n");
        return 1;
    }
    std::printf("listening on http://127.0.0.1:%u/\n", port);
    std::fflush(stdout);
    return QCoreApplication::exec();
}
