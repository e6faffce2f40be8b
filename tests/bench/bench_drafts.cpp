// Drafting a reply at production scale: how long a local draft (similar answered tickets from
// the full-text index) takes at a million tickets, and how soon a streamed draft's first words
// are in the reply editor after the (fake) remote model sends them.
#include "database.h"
#include "databaseconfig.h"
#include "databaselocation.h"
#include "fakellmserver.h"
#include "llmclient.h"
#include "messagerepository.h"
#include "replyprompt.h"
#include "similarreplies.h"
#include "ticketdetailwidget.h"
#include "ticketrepository.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <cstdio>

namespace {

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(qsizetype(p * double(values.size() - 1)));
}

void localDrafts(const Database &database, int samples)
{
    TicketRepository tickets(database);
    MessageRepository messages(database);
    QSqlQuery range(database.connection());
    range.exec(QStringLiteral("SELECT MIN(id), MAX(id), COUNT(*) FROM tickets"));
    range.next();
    const qint64 first = range.value(0).toLongLong();
    const qint64 last = range.value(1).toLongLong();
    const qint64 count = range.value(2).toLongLong();
    range.finish();
    QRandomGenerator random(14);
    QList<double> times;
    int found = 0;
    while (times.size() < samples) {
        const qint64 id = first + qint64(random.bounded(quint64(last - first + 1)));
        const std::optional<Ticket> ticket = tickets.find(id);
        if (!ticket)
            continue;
        QElapsedTimer timer;
        timer.start();
        const QList<ReplySuggestion> suggestions =
            SimilarReplies::find(messages, ticket->text(), ticket->id);
        times.append(double(timer.nsecsElapsed()) / 1e6);
        found += suggestions.isEmpty() ? 0 : 1;
    }
    std::printf("local draft over %lld tickets: %d drafts, %d with a suggestion; "
                "p50 %.1f ms, p95 %.1f ms, max %.1f ms (target: ready <= 200 ms)\n",
                count, samples, found, percentile(times, 0.5), percentile(times, 0.95),
                percentile(times, 1.0));
}

void firstWords(int samples)
{
    FakeLlmServer server;
    LlmSettings settings;
    settings.baseUrl = server.baseUrl();
    settings.model = QStringLiteral("bench-model");
    LlmClient client(settings);
    TicketDetailWidget detail;
    detail.resize(600, 700);
    detail.show();
    Ticket ticket;
    ticket.id = 1;
    ticket.body = QStringLiteral("The VPN client disconnects every five minutes.");
    ticket.createdAt = QDateTime::currentDateTimeUtc();
    auto *editor = detail.findChild<QPlainTextEdit *>(QStringLiteral("replyPlainTextEdit"));
    QList<double> times;
    for (int i = 0; i < samples; ++i) {
        detail.showTicket(ticket, {}, {}, {});
        server.enqueue(FakeLlmServer::Behaviour::stream(
            {QStringLiteral("Hello"), QStringLiteral(" there.")}, std::chrono::milliseconds(50)));
        QElapsedTimer sinceSent;
        // Event 0 names the role; event 1 carries the first words.
        const auto sent =
            QObject::connect(&server, &FakeLlmServer::streamEventSent, [&](int index) {
                if (index == 1)
                    sinceSent.start();
            });
        bool shown = false;
        const auto changed = QObject::connect(editor, &QPlainTextEdit::textChanged, [&] {
            if (!shown && sinceSent.isValid() && !editor->toPlainText().isEmpty()) {
                shown = true;
                times.append(double(sinceSent.nsecsElapsed()) / 1e6);
            }
        });
        detail.streamDraft(
            1, settings.model,
            client.stream(ReplyPrompt::request(settings.model, DraftContext{ticket, {}, {}})), {});
        if (!QTest::qWaitFor([&] { return !detail.isDrafting(); }, 5000))
            qFatal("a streamed draft did not finish within 5 s");
        QObject::disconnect(sent);
        QObject::disconnect(changed);
        editor->clear();
    }
    std::printf("streamed draft: first words in the editor %.1f ms (p50), %.1f ms (p95), "
                "%.1f ms (max) after the server sent them, over %lld drafts "
                "(target <= 100 ms)\n",
                percentile(times, 0.5), percentile(times, 0.95), percentile(times, 1.0),
                qint64(times.size()));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        QStringLiteral("SQLite file (a copy: it is migrated) or PostgreSQL URI; without it only "
                       "the streamed draft is measured"),
        QStringLiteral("path"));
    const QCommandLineOption samplesOption(QStringLiteral("samples"),
                                           QStringLiteral("drafts of each kind (default 200)"),
                                           QStringLiteral("n"), QStringLiteral("200"));
    parser.addOptions({databaseOption, samplesOption});
    parser.process(app);
    const int samples = std::max(1, parser.value(samplesOption).toInt());

    firstWords(samples);
    if (parser.isSet(databaseOption)) {
        auto parsed = DatabaseLocation::parse(parser.value(databaseOption));
        if (const QString *problem = std::get_if<QString>(&parsed))
            qFatal("%s", qPrintable(*problem));
        const Database database(std::get<DatabaseConfig>(parsed));
        database.migrate();
        localDrafts(database, samples);
        database.closeThreadConnection();
    }
    return 0;
}
