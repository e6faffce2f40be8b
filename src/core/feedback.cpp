#include "feedback.h"

#include "plaintext.h"
#include "ticketdraft.h"

FieldErrors Feedback::validate() const
{
    FieldErrors errors;
    if (rating < kMinRating || rating > kMaxRating)
        errors.append(
            {QStringLiteral("rating"), QStringLiteral("must be a whole number from %1 to %2")
                                           .arg(kMinRating)
                                           .arg(kMaxRating)});
    // A comment may be empty, unlike a message: a rating alone says enough.
    if (!comment.isEmpty()) {
        if (!QStringView(comment).isValidUtf16())
            errors.append(
                {QStringLiteral("comment"), QStringLiteral("must be valid Unicode text")});
        else if (PlainText::hasControlCharacters(comment))
            errors.append({QStringLiteral("comment"),
                           QStringLiteral("must not contain control characters other than tabs "
                                          "and line breaks")});
        else if (characterCount(comment) > kMaxCommentLength)
            errors.append({QStringLiteral("comment"),
                           QStringLiteral("must be at most %1 characters").arg(kMaxCommentLength)});
    }
    return errors;
}
