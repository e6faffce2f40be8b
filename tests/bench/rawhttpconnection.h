#pragma once

#include <QByteArray>
#include <QObject>

class QTcpSocket;

// One HTTP/1.1 keep-alive connection to the loopback API carrying one request at a time: the
// benchmarks need 50 parallel connections where QNetworkAccessManager opens 6 per host. Every
// request carries "Authorization: Bearer <token>".
class RawHttpConnection final : public QObject
{
    Q_OBJECT

public:
    RawHttpConnection(quint16 port, const QByteArray &token, QObject *parent = nullptr);
    ~RawHttpConnection() override;
    Q_DISABLE_COPY_MOVE(RawHttpConnection)

    void open();
    // Connected and no request waiting for its answer.
    bool isIdle() const;
    bool isClosed() const { return m_closed; }
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &jsonBody = {});

Q_SIGNALS:
    void opened();
    void responseReceived(int status, const QByteArray &body);
    // Emitted once; a request in flight then never got a complete answer.
    void closed(bool requestInFlight, const QString &reason);

private:
    void readResponses();
    // Consumes one complete response from m_buffer; false if it is not complete yet.
    bool takeResponse(int *status, QByteArray *body, bool *malformed);
    void close(const QString &reason);

    quint16 m_port;
    // The fixed header lines of every request: Host and Authorization.
    QByteArray m_headers;
    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_inFlight = false;
    bool m_closed = false;
};
