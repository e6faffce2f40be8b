#include "fakellmserver.h"

#include "category.h"
#include "priority.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::correct(const Prediction &prediction)
{
    return content(predictionJson(prediction));
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::content(const QString &messageContent)
{
    Behaviour behaviour;
    behaviour.body = chatCompletion(messageContent);
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::slow(std::chrono::milliseconds delay,
                                                        const Prediction &prediction)
{
    Behaviour behaviour = correct(prediction);
    behaviour.delay = delay;
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::httpStatus(int status, const QByteArray &body,
                                                              const Headers &headers)
{
    Behaviour behaviour;
    behaviour.status = status;
    behaviour.body = body;
    behaviour.headers = headers;
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::internalError()
{
    return httpStatus(500, R"({"error": {"message": "The server had an error."}})");
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::tooManyRequests(const QByteArray &retryAfter)
{
    return httpStatus(429, R"({"error": {"message": "Rate limit reached."}})",
                      {{"Retry-After", retryAfter}});
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::unavailable(const QByteArray &retryAfter)
{
    return httpStatus(503, R"({"error": "Model is loading."})", {{"Retry-After", retryAfter}});
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::malformedJson()
{
    return httpStatus(200, R"({"choices": [{"message": {"content": "{\"categ)");
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::wrongCategory()
{
    return content(uR"({"category": "sales", "confidence": 0.9, "priority": "low",
                        "summary": "The customer asks for a quote."})"_s);
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::resetConnection()
{
    Behaviour behaviour = correct();
    behaviour.action = Action::ResetMidAnswer;
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::resetBeforeAnswer()
{
    Behaviour behaviour;
    behaviour.action = Action::ResetBeforeAnswer;
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::unauthorizedEchoingKey()
{
    Behaviour behaviour =
        httpStatus(401, R"({"error": {"message": "Incorrect API key provided: %AUTHORIZATION%"}})");
    behaviour.echoAuthorization = true;
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::stream(const QStringList &pieces,
                                                          std::chrono::milliseconds interval)
{
    Behaviour behaviour;
    behaviour.action = Action::Stream;
    behaviour.streamInterval = interval;
    behaviour.events.append(
        R"(data: {"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]})"
        "\n\n");
    for (const QString &piece : pieces)
        behaviour.events.append(streamEvent(piece));
    behaviour.events.append(
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    behaviour.events.append("data: [DONE]\n\n");
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::streamInterrupted(const QStringList &pieces,
                                                                     StreamEnd end)
{
    Behaviour behaviour;
    behaviour.action = Action::Stream;
    behaviour.streamEnd = end;
    for (const QString &piece : pieces)
        behaviour.events.append(streamEvent(piece));
    return behaviour;
}

FakeLlmServer::Behaviour FakeLlmServer::Behaviour::streamMalformed(const QStringList &pieces)
{
    Behaviour behaviour = streamInterrupted(pieces, StreamEnd::Close);
    behaviour.events.append("data: {\"choices\": [{\"delta\": {\"content\": \"cut\n\n");
    return behaviour;
}

QByteArray FakeLlmServer::streamEvent(const QString &piece)
{
    const QJsonObject chunk{
        {u"id"_s, u"chatcmpl-fake"_s},
        {u"object"_s, u"chat.completion.chunk"_s},
        {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                              {u"delta"_s, QJsonObject{{u"content"_s, piece}}},
                                              {u"finish_reason"_s, QJsonValue::Null}}}},
    };
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray FakeLlmServer::ReceivedRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject FakeLlmServer::ReceivedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString FakeLlmServer::ReceivedRequest::model() const
{
    return json().value("model"_L1).toString();
}

QString FakeLlmServer::ReceivedRequest::userMessage() const
{
    const QJsonArray messages = json().value("messages"_L1).toArray();
    for (const QJsonValue &message : messages) {
        if (message.toObject().value("role"_L1).toString() == "user"_L1)
            return message.toObject().value("content"_L1).toString();
    }
    return {};
}

FakeLlmServer::FakeLlmServer(QObject *parent)
    : QObject(parent)
    , m_default(Behaviour::correct())
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeLlmServer::acceptConnections);
    m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
}

FakeLlmServer::~FakeLlmServer()
{
    // Sockets are children of the server; stop them calling back while it goes away.
    for (auto it = m_connections.keyBegin(); it != m_connections.keyEnd(); ++it)
        disconnect(*it, nullptr, this, nullptr);
}

QUrl FakeLlmServer::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_server.serverPort()));
}

void FakeLlmServer::enqueue(const Behaviour &behaviour)
{
    m_script.push_back(behaviour);
}

void FakeLlmServer::setDefaultBehaviour(const Behaviour &behaviour)
{
    m_default = behaviour;
}

Prediction FakeLlmServer::defaultPrediction()
{
    Prediction prediction;
    prediction.category = Category::Billing;
    prediction.confidence = 0.87;
    prediction.priority = Priority::High;
    prediction.summary = u"The customer was charged twice and wants a refund."_s;
    return prediction;
}

QByteArray FakeLlmServer::chatCompletion(const QString &messageContent)
{
    const QJsonObject response{
        {u"id"_s, u"chatcmpl-fake"_s},
        {u"object"_s, u"chat.completion"_s},
        {u"choices"_s, QJsonArray{QJsonObject{
                           {u"index"_s, 0},
                           {u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s},
                                                      {u"content"_s, messageContent}}},
                           {u"finish_reason"_s, u"stop"_s},
                       }}},
    };
    return QJsonDocument(response).toJson(QJsonDocument::Compact);
}

QString FakeLlmServer::predictionJson(const Prediction &prediction)
{
    const QJsonObject object{
        {u"category"_s, QString(categoryName(prediction.category))},
        {u"confidence"_s, prediction.confidence},
        {u"priority"_s, QString(priorityName(prediction.priority))},
        {u"summary"_s, prediction.summary},
    };
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void FakeLlmServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Each event leaves when written, as a streaming server sends it, not held back by Nagle.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            closeRequest(socket);
            m_connections.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeLlmServer::readRequest(QTcpSocket *socket)
{
    Connection &connection = m_connections[socket];
    connection.buffer += socket->readAll();
    if (connection.open)
        return;
    const qsizetype headerEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;

    ReceivedRequest request;
    const QList<QByteArray> lines = connection.buffer.first(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = lines.at(i).first(colon).trimmed();
        const QByteArray value = lines.at(i).sliced(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            contentLength = value.toLongLong();
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (connection.buffer.size() - bodyStart < contentLength)
        return;
    request.body = connection.buffer.sliced(bodyStart, contentLength);
    connection.buffer.clear();
    connection.open = true;
    m_maxOpen = std::max(m_maxOpen, ++m_open);
    m_requests.append(request);

    Behaviour behaviour = m_default;
    if (!m_script.empty()) {
        behaviour = m_script.front();
        m_script.pop_front();
    }
    Q_EMIT requestReceived();

    if (behaviour.delay.count() > 0) {
        // The client may give up first; the socket is then gone.
        const QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(behaviour.delay, this, [this, guard, behaviour, request] {
            if (guard && guard->state() == QAbstractSocket::ConnectedState)
                answer(guard, behaviour, request);
        });
    } else {
        answer(socket, behaviour, request);
    }
}

void FakeLlmServer::answer(QTcpSocket *socket, const Behaviour &behaviour,
                           const ReceivedRequest &request)
{
    closeRequest(socket);
    if (behaviour.action == Behaviour::Action::ResetBeforeAnswer) {
        reset(socket);
        return;
    }

    if (behaviour.action == Behaviour::Action::Stream) {
        // No length: the body ends when the connection does, as HTTP/1.1 allows.
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      "Cache-Control: no-cache\r\nConnection: close\r\n\r\n");
        socket->flush();
        sendStream(socket, behaviour, 0);
        return;
    }
    QByteArray body = behaviour.body;
    if (behaviour.echoAuthorization)
        body.replace("%AUTHORIZATION%", request.header("Authorization"));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(behaviour.status) + " Fake\r\n" +
                          "Content-Type: application/json\r\n" +
                          "Content-Length: " + QByteArray::number(body.size()) + "\r\n" +
                          "Connection: close\r\n";
    for (const auto &[name, value] : behaviour.headers)
        response += name + ": " + value + "\r\n";
    response += "\r\n" + body;
    if (behaviour.action == Behaviour::Action::ResetMidAnswer) {
        socket->write(response.first(response.size() - body.size() / 2));
        socket->flush();
        // Long enough for the client to read the headers: a reset that arrives before then
        // discards them in the kernel, and Qt would resend instead of failing.
        const QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(50, this, [guard] {
            if (guard)
                reset(guard);
        });
        return;
    }
    socket->write(response);
    socket->disconnectFromHost();
}

void FakeLlmServer::sendStream(QTcpSocket *socket, const Behaviour &behaviour, int next)
{
    if (next == behaviour.events.size()) {
        switch (behaviour.streamEnd) {
        case Behaviour::StreamEnd::Close:
            socket->disconnectFromHost();
            break;
        case Behaviour::StreamEnd::Reset:
            reset(socket);
            break;
        case Behaviour::StreamEnd::Silence:
            break;
        }
        return;
    }
    const QPointer<QTcpSocket> guard(socket);
    QTimer::singleShot(next == 0 ? std::chrono::milliseconds(0) : behaviour.streamInterval, this,
                       [this, guard, behaviour, next] {
                           // The client may have hung up (a cancelled draft).
                           if (!guard || guard->state() != QAbstractSocket::ConnectedState)
                               return;
                           guard->write(behaviour.events.at(next));
                           guard->flush();
                           Q_EMIT streamEventSent(next);
                           sendStream(guard, behaviour, next + 1);
                       });
}

void FakeLlmServer::reset(QTcpSocket *socket)
{
    // Linger 0 turns close() into a RST, which is what "connection reset by peer" is.
    const linger option{1, 0};
    ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &option, sizeof option);
    socket->abort();
}

void FakeLlmServer::closeRequest(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it != m_connections.end() && it->open) {
        it->open = false;
        --m_open;
    }
}
