#pragma once

#include "sseparser.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStringList>

#include <utility>

// A client of one server-sent event stream over the real network, reading events as they
// arrive, with when each came: a GET, or a POST with a JSON body.
class EventStreamClient final
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    EventStreamClient(QNetworkAccessManager &manager, const QByteArray &method, const QUrl &url,
                      const QByteArray &token, const QByteArray &body = {},
                      const Headers &headers = {});
    ~EventStreamClient();
    Q_DISABLE_COPY_MOVE(EventStreamClient)

    QNetworkReply *reply() const { return m_reply; }
    int status() const;
    bool finished() const { return m_reply->isFinished(); }
    const QList<SseEvent> &events() const { return m_events; }
    // Milliseconds from the request to the event's arrival.
    qint64 arrivedMs(qsizetype index) const { return m_arrivedMs.at(index); }
    QStringList types() const;
    QJsonObject data(qsizetype index) const;
    qsizetype indexOf(const QString &type) const { return types().indexOf(type); }
    // The raw text read, comments included.
    const QByteArray &raw() const { return m_raw; }

private:
    QNetworkReply *m_reply = nullptr;
    SseParser m_parser;
    QList<SseEvent> m_events;
    QList<qint64> m_arrivedMs;
    QByteArray m_raw;
    QElapsedTimer m_timer;
};
