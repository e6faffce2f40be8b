#pragma once

#include "answeredticket.h"
#include "category.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

class MessageRepository;

// A reply to start from: the team's answer to a ticket that reads like the one being answered.
struct ReplySuggestion
{
    qint64 ticketId = 0;
    QString subject;
    // How alike the two customers' texts are, from 0 to 1.
    double similarity = 0;
    // With personal data redacted: it was written to another customer.
    QString reply;
    // The answered ticket's, which decides whether it may be shown to a remote model.
    std::optional<Category> category;
};

// A resolved ticket's reply that may answer another customer's ticket as it stands.
struct ReusableAnswer
{
    qint64 ticketId = 0;
    double similarity = 0;
    // Fit for another customer (ReusableReply::forAnotherCustomer()).
    QString reply;
};

// The local way to draft a reply, with no remote model and from the first imported ticket on:
// the full-text index finds answered tickets sharing the text's most telling words, and their
// words decide which are most alike.
class SimilarReplies final
{
public:
    SimilarReplies() = delete;

    static constexpr int kSuggestions = 3;
    // Below this, a suggestion would only waste the agent's time.
    static constexpr double kMinimumSimilarity = 0.1;

    // Best first; empty when nothing answered is alike. Throws StorageError.
    static QList<ReplySuggestion> find(MessageRepository &messages, QStringView text,
                                       qint64 ticketId);

    // For auto-resolve: the most alike ticket of the category, at least minimumSimilarity
    // alike, that the team resolved and whose reply can go to another customer without a
    // person reading it. Throws StorageError.
    static std::optional<ReusableAnswer> closestResolved(MessageRepository &messages,
                                                         QStringView text, qint64 ticketId,
                                                         Category category,
                                                         double minimumSimilarity);

    // The words of a text worth searching for: no stop words or very short ones, the longest
    // first (long words are the rare ones), at most a dozen.
    static QStringList queryWords(QStringView text);
    // The cosine of the two texts' sets of word stems, stop words left out.
    static double similarity(QStringView first, QStringView second);

private:
    // Answered tickets that share the text's most telling words, best match first.
    static QList<AnsweredTicket> candidates(MessageRepository &messages, QStringView text,
                                            qint64 ticketId);
};
