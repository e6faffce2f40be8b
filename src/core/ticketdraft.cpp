#include "ticketdraft.h"

#include "plaintext.h"

#include <algorithm>

TicketDraft TicketDraft::fromText(const QString &text, TicketSource source)
{
    TicketDraft draft;
    draft.body = text;
    draft.form = TicketForm::Text;
    draft.source = source;
    return draft;
}

TicketDraft TicketDraft::fromSubjectAndBody(const QString &subject, const QString &body,
                                            TicketSource source)
{
    TicketDraft draft;
    draft.subject = subject;
    draft.body = body;
    draft.form = TicketForm::SubjectBody;
    draft.source = source;
    return draft;
}

qsizetype characterCount(QStringView text)
{
    qsizetype lowSurrogates = 0;
    for (QChar c : text) {
        if (c.isLowSurrogate())
            ++lowSurrogates;
    }
    return text.size() - lowSurrogates;
}

FieldErrors TicketDraft::validate() const
{
    static const QString kNoControlCharacters =
        QStringLiteral("must not contain control characters other than tabs and line breaks");
    FieldErrors errors;
    const QString bodyField =
        form == TicketForm::Text ? QStringLiteral("text") : QStringLiteral("body");

    // A lone surrogate (JSON "\ud800") cannot be stored as UTF-8; refusing it beats silently
    // turning it into "?".
    if (form == TicketForm::SubjectBody && !QStringView(subject).isValidUtf16()) {
        errors.append({QStringLiteral("subject"), QStringLiteral("must be valid Unicode text")});
    } else if (form == TicketForm::SubjectBody && PlainText::hasControlCharacters(subject)) {
        errors.append({QStringLiteral("subject"), kNoControlCharacters});
    } else if (form == TicketForm::SubjectBody && characterCount(subject) > kMaxSubjectLength) {
        errors.append({QStringLiteral("subject"),
                       QStringLiteral("must be at most %1 characters").arg(kMaxSubjectLength)});
    }
    if (const QString problem = PlainText::problemWith(body, kMaxBodyLength); !problem.isEmpty())
        errors.append({bodyField, problem});
    // Addresses and ids, read by machines: one line, where a line break could forge a mail header.
    const auto checkReference = [&errors](const QString &value, const QString &field,
                                          int maxLength) {
        if (value.isNull())
            return;
        // Line and paragraph separators and invisible format characters (a right-to-left
        // override) would make an address read differently from what it is.
        const bool hasControl = std::any_of(value.begin(), value.end(), [](QChar c) {
            const QChar::Category category = c.category();
            return category == QChar::Other_Control || category == QChar::Other_Format ||
                   category == QChar::Separator_Line || category == QChar::Separator_Paragraph;
        });
        if (!QStringView(value).isValidUtf16())
            errors.append({field, QStringLiteral("must be valid Unicode text")});
        else if (hasControl)
            errors.append({field, QStringLiteral("must be one line without control characters")});
        else if (PlainText::isBlank(value))
            errors.append({field, QStringLiteral("must not be blank; leave it out instead")});
        else if (characterCount(value) > maxLength)
            errors.append({field, QStringLiteral("must be at most %1 characters").arg(maxLength)});
    };
    checkReference(requester, QStringLiteral("requester"), kMaxRequesterLength);
    checkReference(threadRef, QStringLiteral("thread_ref"), kMaxThreadRefLength);
    return errors;
}
