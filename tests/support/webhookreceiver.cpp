#include "webhookreceiver.h"

#include <QDateTime>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

WebhookReceiver::WebhookReceiver(QObject *parent)
    : QObject(parent)
{
    m_server.setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            receive(request, std::move(responder));
        });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
}

WebhookReceiver::~WebhookReceiver() = default;

QUrl WebhookReceiver::url() const
{
    return QUrl(u"http://127.0.0.1:%1/hooks"_s.arg(m_port));
}

void WebhookReceiver::setSecret(const QString &secret)
{
    // Written out here rather than with the product's WebhookSignature, so that a mistake
    // there cannot hide itself.
    m_key = QByteArray::fromBase64(secret.mid(6).toLatin1());
}

void WebhookReceiver::enqueue(const Answer &answer)
{
    m_script.push_back(answer);
}

void WebhookReceiver::setDefaultAnswer(const Answer &answer)
{
    m_default = answer;
}

int WebhookReceiver::invalidSignatures() const
{
    return int(std::count_if(m_received.cbegin(), m_received.cend(),
                             [](const Delivery &delivery) { return !delivery.signatureValid; }));
}

void WebhookReceiver::receive(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    Delivery delivery;
    delivery.id = request.value("webhook-id");
    delivery.timestamp = request.value("webhook-timestamp").toLongLong();
    delivery.body = request.body();
    delivery.json = QJsonDocument::fromJson(delivery.body).object();
    delivery.contentType = request.value("Content-Type");
    const QByteArray expected =
        QMessageAuthenticationCode::hash(
            delivery.id + '.' + QByteArray::number(delivery.timestamp) + '.' + delivery.body, m_key,
            QCryptographicHash::Sha256)
            .toBase64();
    const QList<QByteArray> signatures = request.value("webhook-signature").split(' ');
    const bool fresh = qAbs(QDateTime::currentSecsSinceEpoch() - delivery.timestamp) <= 300;
    delivery.signatureValid = fresh && !m_key.isEmpty() && signatures.contains("v1," + expected);

    Answer answer = m_default;
    if (!m_script.empty()) {
        answer = m_script.front();
        m_script.pop_front();
    }
    // A receiver that cannot trust a delivery refuses it.
    if (!delivery.signatureValid)
        answer = Answer::fail(401);
    delivery.accepted =
        answer.kind == Answer::Kind::Accept || answer.kind == Answer::Kind::TakeSilently;
    if (delivery.accepted) {
        if (m_acceptedIds.contains(delivery.id))
            ++m_duplicates;
        else
            m_acceptedIds.append(delivery.id);
    }
    m_received.append(delivery);
    switch (answer.kind) {
    case Answer::Kind::Accept:
        responder.write(QHttpServerResponder::StatusCode::NoContent);
        break;
    case Answer::Kind::Fail:
        responder.write("failing on purpose", "text/plain",
                        QHttpServerResponder::StatusCode(answer.status));
        break;
    case Answer::Kind::Silence:
    case Answer::Kind::TakeSilently:
        m_silenced.push_back(std::make_unique<QHttpServerResponder>(std::move(responder)));
        break;
    }
    Q_EMIT deliveryReceived();
}
