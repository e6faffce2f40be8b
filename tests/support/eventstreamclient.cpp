#include "eventstreamclient.h"

#include <QJsonDocument>

EventStreamClient::EventStreamClient(QNetworkAccessManager &manager, const QByteArray &method,
                                     const QUrl &url, const QByteArray &token,
                                     const QByteArray &body, const Headers &headers)
{
    QNetworkRequest request(url);
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setRawHeader("Accept", "text/event-stream");
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    m_timer.start();
    m_reply = manager.sendCustomRequest(request, method, body);
    QObject::connect(m_reply, &QNetworkReply::readyRead, m_reply, [this] {
        const QByteArray bytes = m_reply->readAll();
        m_raw += bytes;
        for (const SseEvent &event : m_parser.feed(bytes)) {
            m_events.append(event);
            m_arrivedMs.append(m_timer.elapsed());
        }
    });
}

EventStreamClient::~EventStreamClient()
{
    m_reply->abort();
    delete m_reply;
}

int EventStreamClient::status() const
{
    return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QStringList EventStreamClient::types() const
{
    QStringList types;
    for (const SseEvent &event : m_events)
        types.append(event.type);
    return types;
}

QJsonObject EventStreamClient::data(qsizetype index) const
{
    return QJsonDocument::fromJson(m_events.at(index).data.toUtf8()).object();
}
