#pragma once

#include "retrypolicy.h"
#include "webhookrepository.h"

#include <QDateTime>
#include <QHash>
#include <QLatin1StringView>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

class Database;
class QNetworkReply;
class QProcessEnvironment;
class SecretsKey;

// Sends the webhooks' deliveries. It lives on a thread of its own with its own connection
// (made and ended by WebhookService): each round it queues the change events committed since
// the last (WebhookRepository::queueNewEvents()), then takes due deliveries and POSTs each,
// signed, to its webhook. A 2xx settles a delivery; anything else (another status, a refused
// connection, no answer in time) is tried again with a growing wait, and after the last
// attempt it is marked failed. A node that dies mid-attempt leaves the delivery to be tried
// again once its attempt's time is up, so a receiver sees an event at least once and
// deduplicates on its id.
class WebhookDispatcher final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // A receiver answers within this, or the attempt failed.
        std::chrono::milliseconds timeout{10'000};
        // The wait after the first failed attempt; it doubles up to maxRetryDelay. With these
        // defaults the 15 attempts span about a day.
        std::chrono::milliseconds firstRetryDelay{10'000};
        std::chrono::milliseconds maxRetryDelay{std::chrono::hours(6)};
        int maxAttempts = 15;
        // How often the outbox is read when no change is announced (other nodes' changes,
        // retries that came due).
        std::chrono::milliseconds pollInterval{1'000};
        // Attempts this node has on the wire at once.
        int maxInFlight = 8;

        static constexpr QLatin1StringView kTimeoutVariable{
            "SUPPORT_CONSOLE_WEBHOOK_TIMEOUT_SECONDS"};
        static constexpr QLatin1StringView kRetryVariable{"SUPPORT_CONSOLE_WEBHOOK_RETRY_SECONDS"};
        // The defaults, with SUPPORT_CONSOLE_WEBHOOK_TIMEOUT_SECONDS and
        // SUPPORT_CONSOLE_WEBHOOK_RETRY_SECONDS (the first retry's wait) when set; an invalid
        // value keeps the default and is listed in errors.
        static Options fromEnvironment(const QProcessEnvironment &environment, QStringList *errors);
    };

    // Delivery logs and events are kept this long.
    static constexpr int kRetentionDays = 7;

    WebhookDispatcher(const Database &database, SecretsKey &key, const Options &options);
    // On the dispatcher's thread: drops what is on the wire (each is tried again later) and
    // closes the thread's connection.
    ~WebhookDispatcher() override;
    Q_DISABLE_COPY_MOVE(WebhookDispatcher)

    // On the dispatcher's thread.
    void start();
    // Something may have been committed: queue and send now rather than at the next poll.
    void wake();

Q_SIGNALS:
    // An attempt ended; the delivery log changed.
    void deliveryAttempted(qint64 webhookId);

private:
    void work();
    void send(const WebhookRepository::Attempt &attempt, const QByteArray &signingKey);
    void settle(QNetworkReply *reply, const WebhookRepository::Attempt &attempt);
    void recordFailure(const WebhookRepository::Attempt &attempt, int status, const QString &error,
                       std::optional<std::chrono::milliseconds> retryAfter = std::nullopt);
    WebhookRepository &repository();
    void dropLostConnection();

    const Database &m_database;
    SecretsKey &m_key;
    const Options m_options;
    const RetryPolicy m_retry;
    QNetworkAccessManager *m_network = nullptr;
    QTimer m_poll;
    std::unique_ptr<WebhookRepository> m_repository;
    QHash<QNetworkReply *, qint64> m_inFlight;
    QDateTime m_lastTrim;
    QString m_keyProblemLogged;
    bool m_working = false;
    bool m_stopping = false;
};
