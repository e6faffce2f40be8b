#pragma once

#include <QByteArray>
#include <QHash>
#include <QHttpServer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include <deque>
#include <memory>

class QHttpServerResponder;

// A webhook receiver on a loopback port, built on Qt's own HTTP server rather than the
// product's: it checks each delivery's signature as the Standard Webhooks specification says
// (HMAC-SHA256 over "id.timestamp.body", a timestamp near its clock), and answers from a
// script: accepting, failing with a status, or staying silent until it is destroyed. It
// deduplicates on the delivery id, as a receiver should.
class WebhookReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookReceiver)

public:
    struct Answer
    {
        // TakeSilently: the receiver processes the delivery but its answer never reaches the
        // sender, as when the sender dies between the receiver's 2xx and noting it.
        enum class Kind { Accept, Fail, Silence, TakeSilently };
        Kind kind = Kind::Accept;
        // For Fail.
        int status = 500;

        static Answer accept() { return {}; }
        static Answer fail(int status) { return {Kind::Fail, status}; }
        static Answer silence() { return {Kind::Silence, 0}; }
        static Answer takeSilently() { return {Kind::TakeSilently, 0}; }
    };

    struct Delivery
    {
        QByteArray id;
        qint64 timestamp = 0;
        QByteArray body;
        QJsonObject json;
        QByteArray contentType;
        // Right secret, right bytes, and a timestamp within five minutes of the receiver's
        // clock.
        bool signatureValid = false;
        bool accepted = false;
    };

    explicit WebhookReceiver(QObject *parent = nullptr);
    ~WebhookReceiver() override;

    // http://127.0.0.1:<port>/hooks
    QUrl url() const;
    // The secret the webhook was registered with ("whsec_...").
    void setSecret(const QString &secret);
    // Scripted answers come first, in order; then the default (accept unless set).
    void enqueue(const Answer &answer);
    void setDefaultAnswer(const Answer &answer);

    // Every request, in the order received, duplicates included.
    const QList<Delivery> &received() const { return m_received; }
    // The ids it accepted, each once; and how often an id came again after it was accepted.
    QList<QByteArray> acceptedIds() const { return m_acceptedIds; }
    int duplicates() const { return m_duplicates; }
    int invalidSignatures() const;

Q_SIGNALS:
    void deliveryReceived();

private:
    void receive(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_key;
    std::deque<Answer> m_script;
    Answer m_default;
    QList<Delivery> m_received;
    QList<QByteArray> m_acceptedIds;
    int m_duplicates = 0;
    std::vector<std::unique_ptr<QHttpServerResponder>> m_silenced;
};
