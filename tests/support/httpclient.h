#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

#include <utility>

// A synchronous façade over QNetworkAccessManager for tests: send, wait (with a timeout), read.
class HttpClient final
{
public:
    struct Response
    {
        int status = 0;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
        QString errorCode() const;
    };

    explicit HttpClient(QUrl baseUrl);
    QUrl baseUrl() const { return m_baseUrl; }

    // Sent as "Authorization: Bearer <token>" with every request that does not set its own
    // Authorization; empty sends none.
    void setBearerToken(const QByteArray &token) { m_bearerToken = token; }
    QByteArray bearerToken() const { return m_bearerToken; }

    Response get(const QString &pathAndQuery);
    Response postJson(const QString &path, const QByteArray &body,
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Response send(const QByteArray &method, const QString &pathAndQuery,
                  const QByteArray &body = {},
                  const QList<std::pair<QByteArray, QByteArray>> &headers = {});

private:
    QUrl m_baseUrl;
    QNetworkAccessManager m_manager;
    QByteArray m_bearerToken;
};
