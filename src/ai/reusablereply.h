#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// A reply the team wrote to one customer, made fit to answer another: a new ticket that reads
// like an answered one may be resolved with the same reply, but that reply must never carry the
// first customer's personal data, and PiiRedactor does not know names.
class ReusableReply final
{
public:
    ReusableReply() = delete;

    // The reply with what identifies the first customer replaced by placeholders: PiiRedactor's
    // rules, the addressee of its salutation, and the words that name that customer in their
    // requester address and in the sign-off of their own text. For an agent's draft.
    static QString redact(QStringView reply, QStringView originalText,
                          QStringView originalRequester);
    // The same, fit to be sent to another customer without a person reading it: the salutation
    // made neutral, or null when a placeholder would still reach the customer (some personal
    // data sat in the body, so a person must write that reply).
    static std::optional<QString> forAnotherCustomer(QStringView reply, QStringView originalText,
                                                     QStringView originalRequester);
};
