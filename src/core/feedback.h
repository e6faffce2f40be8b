#pragma once

#include "fielderror.h"

#include <QDateTime>
#include <QString>

// A customer's rating of how their ticket was handled, as the integration that asked them
// reports it. A ticket has one current rating; a new one replaces it and the old ones stay in
// its history.
struct Feedback
{
    static constexpr int kMinRating = 1;
    static constexpr int kMaxRating = 5;
    static constexpr int kMaxCommentLength = 2000;

    qint64 ticketId = 0;
    int rating = 0;
    // Plain text, possibly empty.
    QString comment;
    // Whether the customer says their problem was solved.
    bool resolved = false;
    // The integration that recorded it.
    QString ratedBy;
    QDateTime ratedAt;

    // Errors name the fields "rating" and "comment".
    FieldErrors validate() const;

    friend bool operator==(const Feedback &, const Feedback &) = default;
};
