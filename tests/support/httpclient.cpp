#include "httpclient.h"

#include <QBuffer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QTimer>

QByteArray HttpClient::Response::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpClient::Response::errorCode() const
{
    return json()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("code"))
        .toString();
}

HttpClient::HttpClient(QUrl baseUrl)
    : m_baseUrl(std::move(baseUrl))
{}

HttpClient::Response HttpClient::get(const QString &pathAndQuery)
{
    return send(QByteArrayLiteral("GET"), pathAndQuery);
}

HttpClient::Response HttpClient::postJson(const QString &path, const QByteArray &body,
                                          const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    auto allHeaders = headers;
    allHeaders.prepend({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return send(QByteArrayLiteral("POST"), path, body, allHeaders);
}

HttpClient::Response HttpClient::send(const QByteArray &method, const QString &pathAndQuery,
                                      const QByteArray &body,
                                      const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(m_baseUrl.resolved(QUrl(pathAndQuery, QUrl::StrictMode)));
    if (!m_bearerToken.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + m_bearerToken);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QBuffer buffer;
    buffer.setData(body);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, &buffer);

    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(10000);
    loop.exec();

    Response response;
    if (reply->isFinished()) {
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.headers = reply->rawHeaderPairs();
        response.body = reply->readAll();
    }
    reply->deleteLater();
    return response;
}
