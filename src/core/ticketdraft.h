#pragma once

#include "fielderror.h"
#include "ticket.h"

#include <QDateTime>

#include <optional>

// A ticket as submitted (API, window or import), before it is stored; the one place its rules live.
struct TicketDraft
{
    static constexpr int kMaxSubjectLength = 200;
    static constexpr int kMaxBodyLength = 20000;
    // An e-mail address is at most 254 characters (RFC 5321); a message id or CRM key fits too.
    static constexpr int kMaxRequesterLength = 254;
    static constexpr int kMaxThreadRefLength = 998;

    QString subject;
    QString body;
    TicketForm form = TicketForm::Text;
    TicketSource source = TicketSource::Api;
    std::optional<DatasetInfo> dataset;
    // Optional; see Ticket.
    QString requester;
    QString threadRef;
    // Set only by imports, which spread historic tickets over past days; otherwise "now".
    std::optional<QDateTime> createdAt;

    static TicketDraft fromText(const QString &text, TicketSource source);
    static TicketDraft fromSubjectAndBody(const QString &subject, const QString &body,
                                          TicketSource source);

    QString text() const { return ticketText(form, subject, body); }

    // Field names follow the submitted form: "text" for free text, "subject"/"body" otherwise.
    FieldErrors validate() const;
};

// Length as a person counts it: code points, so an emoji is one character, not two.
qsizetype characterCount(QStringView text);
