#pragma once

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

    // The words of a text worth searching for: no stop words or very short ones, the longest
    // first (long words are the rare ones), at most a dozen.
    static QStringList queryWords(QStringView text);
    // The cosine of the two texts' sets of word stems, stop words left out.
    static double similarity(QStringView first, QStringView second);
};
