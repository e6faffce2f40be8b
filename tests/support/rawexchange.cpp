#include "rawexchange.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <http_parser.h>

namespace {

// Reads answers off the bytes received so far; http-parser keeps its place between calls.
struct AnswerReader
{
    http_parser parser{};
    http_parser_settings settings{};
    QList<RawExchange::Answer> answers;
    QList<bool> bodiless;
    bool inAnswer = false;
    bool readingValue = false;
    qsizetype complete = 0;

    AnswerReader()
    {
        http_parser_init(&parser, HTTP_RESPONSE);
        parser.data = this;
        http_parser_settings_init(&settings);
        settings.on_message_begin = [](http_parser *p) {
            auto *self = static_cast<AnswerReader *>(p->data);
            self->answers.append(RawExchange::Answer());
            self->inAnswer = true;
            self->readingValue = false;
            return 0;
        };
        settings.on_header_field = [](http_parser *p, const char *at, size_t length) {
            auto *self = static_cast<AnswerReader *>(p->data);
            auto &headers = self->answers.last().headers;
            if (headers.isEmpty() || self->readingValue)
                headers.append(std::pair<QByteArray, QByteArray>());
            self->readingValue = false;
            headers.last().first.append(at, qsizetype(length));
            return 0;
        };
        settings.on_header_value = [](http_parser *p, const char *at, size_t length) {
            auto *self = static_cast<AnswerReader *>(p->data);
            self->readingValue = true;
            self->answers.last().headers.last().second.append(at, qsizetype(length));
            return 0;
        };
        settings.on_headers_complete = [](http_parser *p) {
            auto *self = static_cast<AnswerReader *>(p->data);
            self->answers.last().status = int(p->status_code);
            // An interim 100 Continue is not an answer.
            if (p->status_code == 100) {
                self->answers.removeLast();
                return 0;
            }
            const qsizetype index = self->answers.size() - 1;
            return index < self->bodiless.size() && self->bodiless.at(index) ? 1 : 0;
        };
        settings.on_body = [](http_parser *p, const char *at, size_t length) {
            static_cast<AnswerReader *>(p->data)->answers.last().body.append(at, qsizetype(length));
            return 0;
        };
        settings.on_message_complete = [](http_parser *p) {
            auto *self = static_cast<AnswerReader *>(p->data);
            self->inAnswer = false;
            self->complete = self->answers.size();
            return 0;
        };
    }
};

} // namespace

QByteArray RawExchange::Answer::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString RawExchange::Answer::errorCode() const
{
    return QJsonDocument::fromJson(body)
        .object()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("code"))
        .toString();
}

RawExchange::RawExchange(quint16 port, QHostAddress from)
    : m_port(port)
    , m_from(std::move(from))
{}

RawExchange::Result RawExchange::run(const QByteArray &bytes, int answers,
                                     std::chrono::milliseconds timeout, const QList<bool> &bodiless,
                                     bool untilClosed) const
{
    Result result;
    QTcpSocket socket;
    socket.bind(m_from);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
    if (!socket.waitForConnected(5000))
        return result;
    socket.write(bytes);
    AnswerReader reader;
    reader.bodiless = bodiless;
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    qsizetype parsed = 0;
    while (timer.elapsed() < timeout.count()) {
        QTest::qWait(5);
        received += socket.readAll();
        if (parsed < received.size()) {
            parsed += qsizetype(http_parser_execute(&reader.parser, &reader.settings,
                                                    received.constData() + parsed,
                                                    size_t(received.size() - parsed)));
        }
        if ((reader.complete >= answers && !untilClosed) ||
            socket.state() != QAbstractSocket::ConnectedState) {
            break;
        }
    }
    received += socket.readAll();
    if (parsed < received.size()) {
        parsed += qsizetype(http_parser_execute(&reader.parser, &reader.settings,
                                                received.constData() + parsed,
                                                size_t(received.size() - parsed)));
    }
    result.closed = socket.state() != QAbstractSocket::ConnectedState;
    result.answers = reader.answers.mid(0, reader.complete);
    result.leftover = received.mid(parsed);
    return result;
}
