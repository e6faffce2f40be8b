#pragma once

#include "category.h"
#include "classification.h"

#include <QDateTime>
#include <QString>

#include <array>
#include <optional>

// Waiting: a reply asked the customer something, and the ticket is theirs to answer.
enum class TicketStatus { Open, InProgress, Resolved, Closed, Waiting };
// In the order a ticket usually goes through them.
inline constexpr std::array<TicketStatus, 5> kAllTicketStatuses{
    TicketStatus::Open, TicketStatus::InProgress, TicketStatus::Waiting, TicketStatus::Resolved,
    TicketStatus::Closed};
enum class TicketSource { Api, Gui, Import };
// How the text arrived: one free text, or a subject and a body. Kept so the ticket can be shown,
// searched and classified exactly as it was written.
enum class TicketForm { Text, SubjectBody };

// The full text as the customer wrote it, which is what search and classifiers read.
QString ticketText(TicketForm form, const QString &subject, const QString &body);

QLatin1String ticketStatusName(TicketStatus status);
std::optional<TicketStatus> ticketStatusFromName(QStringView name);
// "must be one of open, in_progress, ...": what the edge says about an unknown status.
QString ticketStatusChoices();
QLatin1String ticketSourceName(TicketSource source);
std::optional<TicketSource> ticketSourceFromName(QStringView name);
QLatin1String ticketFormName(TicketForm form);
std::optional<TicketForm> ticketFormFromName(QStringView name);

// What the public dataset said about an imported ticket; kept as training and evaluation labels.
struct DatasetInfo
{
    QString queue;
    QString priority;
    QString language;
    QString answer;

    friend bool operator==(const DatasetInfo &, const DatasetInfo &) = default;
};

// A stored support ticket with its current category and, when known, its latest classification.
struct Ticket
{
    qint64 id = 0;
    QString subject;
    QString body;
    TicketForm form = TicketForm::Text;
    TicketSource source = TicketSource::Api;
    TicketStatus status = TicketStatus::Open;
    std::optional<Category> category;
    // The current classification's confidence was under the review threshold.
    bool needsReview = false;
    QDateTime createdAt;
    QDateTime updatedAt;
    std::optional<DatasetInfo> dataset;
    // The classification its category comes from: the newest, or an agent's over later ones.
    std::optional<Classification> classification;
    // Present while the ticket waits for a (re)classification or after one failed.
    std::optional<ClassificationJob> job;
    // The user who holds the ticket; empty when nobody does.
    QString assignee;
    // Whom a reply goes to (an e-mail address or an integration's customer id) and the thread it
    // continues there, as the integration that filed the ticket said; empty when not known.
    QString requester;
    QString threadRef;
    // Goes up with every change to what the ticket says (status, category, assignee,
    // classification): its ETag, which a conditional change must name.
    qint64 version = 1;

    QString text() const { return ticketText(form, subject, body); }
    ClassificationState classificationState() const
    {
        if (job)
            return job->state;
        return classification ? ClassificationState::Classified : ClassificationState::Pending;
    }
};
