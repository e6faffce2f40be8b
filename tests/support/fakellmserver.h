#pragma once

#include "prediction.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <chrono>
#include <deque>
#include <utility>

class QTcpSocket;

// An OpenAI-compatible Chat Completions server on a loopback port that answers from a script:
// correctly, slowly, with errors, garbage or a reset connection, whole or streamed as
// server-sent events. Records what it received.
class FakeLlmServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeLlmServer)

public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    // How the server answers one request.
    struct Behaviour
    {
        enum class Action { Respond, ResetBeforeAnswer, ResetMidAnswer, Stream };
        // How a stream ends after its events: closing the connection, resetting it, or going
        // silent with the connection open.
        enum class StreamEnd { Close, Reset, Silence };

        Action action = Action::Respond;
        // Waited before answering (or resetting); the request counts as open meanwhile.
        std::chrono::milliseconds delay{0};
        int status = 200;
        Headers headers;
        QByteArray body;
        // Action::Stream: the events (each "data: ...\n\n"), one every streamInterval, and
        // then streamEnd.
        QList<QByteArray> events;
        std::chrono::milliseconds streamInterval{0};
        StreamEnd streamEnd = StreamEnd::Close;
        // Replaces "%AUTHORIZATION%" in the body by the Authorization header received, the way
        // some gateways quote a rejected key back.
        bool echoAuthorization = false;

        static Behaviour correct(const Prediction &prediction = defaultPrediction());
        // 200 with this text as the assistant's message content.
        static Behaviour content(const QString &messageContent);
        static Behaviour slow(std::chrono::milliseconds delay,
                              const Prediction &prediction = defaultPrediction());
        static Behaviour httpStatus(int status, const QByteArray &body = {},
                                    const Headers &headers = {});
        static Behaviour internalError();
        static Behaviour tooManyRequests(const QByteArray &retryAfter);
        static Behaviour unavailable(const QByteArray &retryAfter);
        // 200 whose body is not JSON at all.
        static Behaviour malformedJson();
        // 200 with a well-formed answer whose category is not in the set.
        static Behaviour wrongCategory();
        // Starts a 200 answer, then closes the connection with a TCP reset halfway through the
        // body. Qt reports this as an error at once.
        static Behaviour resetConnection();
        // Resets the connection before any byte of the answer. Qt's HTTP stack resends such a
        // request by itself (up to twice per connection) before it reports an error, so the
        // server may see more requests than the client counts attempts.
        static Behaviour resetBeforeAnswer();
        // 401 whose error message quotes the Authorization header it got.
        static Behaviour unauthorizedEchoingKey();
        // A complete streamed answer: a role event, the pieces, a finish_reason and [DONE].
        static Behaviour stream(const QStringList &pieces,
                                std::chrono::milliseconds interval = std::chrono::milliseconds(0));
        // The pieces, and then the connection ends as `end` says, without finishing.
        static Behaviour streamInterrupted(const QStringList &pieces, StreamEnd end);
        // The pieces, and then an event that is not JSON.
        static Behaviour streamMalformed(const QStringList &pieces);
    };

    struct ReceivedRequest
    {
        QByteArray method;
        QByteArray path;
        Headers headers;
        QByteArray body;

        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const;
        QString model() const;
        // The ticket as sent: the content of the "user" message.
        QString userMessage() const;
    };

    explicit FakeLlmServer(QObject *parent = nullptr);
    ~FakeLlmServer() override;

    bool isListening() const { return m_server.isListening(); }
    // http://127.0.0.1:<port>/v1, what LlmSettings::baseUrl expects.
    QUrl baseUrl() const;

    // Scripted answers are used in order; then the default answers (correct unless set).
    void enqueue(const Behaviour &behaviour);
    void setDefaultBehaviour(const Behaviour &behaviour);

    const QList<ReceivedRequest> &requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    // The most requests received and not yet answered at the same moment.
    int maxConcurrentRequests() const { return m_maxOpen; }

    static Prediction defaultPrediction();
    // A complete Chat Completions response body with this message content.
    static QByteArray chatCompletion(const QString &messageContent);
    // One server-sent event of a streamed answer carrying this piece of text.
    static QByteArray streamEvent(const QString &piece);
    static QString predictionJson(const Prediction &prediction);

Q_SIGNALS:
    void requestReceived();
    // An event of a stream was written and flushed to the socket.
    void streamEventSent(int index);

private:
    struct Connection
    {
        QByteArray buffer;
        bool open = false;
    };

    void acceptConnections();
    void readRequest(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Behaviour &behaviour, const ReceivedRequest &request);
    void closeRequest(QTcpSocket *socket);
    void sendStream(QTcpSocket *socket, const Behaviour &behaviour, int next);
    static void reset(QTcpSocket *socket);

    QTcpServer m_server;
    std::deque<Behaviour> m_script;
    Behaviour m_default;
    QList<ReceivedRequest> m_requests;
    QHash<QTcpSocket *, Connection> m_connections;
    int m_open = 0;
    int m_maxOpen = 0;
};
