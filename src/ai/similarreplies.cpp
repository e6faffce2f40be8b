#include "similarreplies.h"

#include "messagerepository.h"
#include "reusablereply.h"
#include "searchtext.h"
#include "wordstemmer.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxQueryWords = 12;
constexpr int kCandidates = 30;
constexpr qsizetype kWordsTogether = 4;
constexpr qsizetype kShortestWord = 3;

// The dataset's tickets are English and German; their commonest words say nothing about what a
// ticket is about. Written as SearchText::words() leaves them: lower case, without accents.
const QSet<QString> &stopWords()
{
    static const QSet<QString> words{
        u"the"_s,   u"and"_s,     u"for"_s,    u"are"_s,    u"but"_s,   u"not"_s,    u"you"_s,
        u"your"_s,  u"our"_s,     u"with"_s,   u"this"_s,   u"that"_s,  u"have"_s,   u"has"_s,
        u"was"_s,   u"were"_s,    u"been"_s,   u"from"_s,   u"they"_s,  u"will"_s,   u"would"_s,
        u"could"_s, u"should"_s,  u"can"_s,    u"please"_s, u"thank"_s, u"thanks"_s, u"hello"_s,
        u"dear"_s,  u"regards"_s, u"any"_s,    u"all"_s,    u"some"_s,  u"there"_s,  u"their"_s,
        u"what"_s,  u"when"_s,    u"which"_s,  u"who"_s,    u"how"_s,   u"also"_s,   u"into"_s,
        u"about"_s, u"after"_s,   u"before"_s, u"its"_s,    u"just"_s,  u"like"_s,   u"more"_s,
        u"need"_s,  u"help"_s,    u"issue"_s,  u"der"_s,    u"die"_s,   u"das"_s,    u"und"_s,
        u"ist"_s,   u"nicht"_s,   u"mit"_s,    u"ich"_s,    u"wir"_s,   u"sie"_s,    u"ein"_s,
        u"eine"_s,  u"einen"_s,   u"dem"_s,    u"den"_s,    u"des"_s,   u"auf"_s,    u"fur"_s,
        u"von"_s,   u"bei"_s,     u"bitte"_s,  u"danke"_s,  u"haben"_s, u"wird"_s,   u"sind"_s,
        u"unser"_s, u"unsere"_s,  u"ihr"_s,    u"ihre"_s,   u"mein"_s,  u"meine"_s,  u"hallo"_s,
    };
    return words;
}

QStringList contentWords(QStringView text)
{
    QStringList words = SearchText::words(text);
    words.removeIf([](const QString &word) {
        return word.size() < kShortestWord || stopWords().contains(word);
    });
    return words;
}

QSet<QString> stems(QStringView text)
{
    thread_local WordStemmer stemmer;
    QSet<QString> result;
    for (const QString &word : contentWords(text)) {
        const QByteArray utf8 = word.toUtf8();
        const std::string_view stem = stemmer.stem({utf8.constData(), std::size_t(utf8.size())});
        result.insert(QString::fromUtf8(stem.data(), qsizetype(stem.size())));
    }
    return result;
}

} // namespace

QStringList SimilarReplies::queryWords(QStringView text)
{
    QStringList words = contentWords(text);
    words.removeDuplicates();
    std::stable_sort(words.begin(), words.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
    if (words.size() > kMaxQueryWords)
        words.resize(kMaxQueryWords);
    return words;
}

double SimilarReplies::similarity(QStringView first, QStringView second)
{
    const QSet<QString> a = stems(first);
    const QSet<QString> b = stems(second);
    if (a.isEmpty() || b.isEmpty())
        return 0;
    const qsizetype shared =
        std::count_if(a.cbegin(), a.cend(), [&b](const QString &stem) { return b.contains(stem); });
    return double(shared) / std::sqrt(double(a.size()) * double(b.size()));
}

QList<AnsweredTicket> SimilarReplies::candidates(MessageRepository &messages, QStringView text,
                                                 qint64 ticketId)
{
    // Tickets with all of the most telling words are few, so the index finds and ranks them
    // quickly even at a million tickets, where any of a dozen words would match most of them.
    // Fewer words together are tried only while too few tickets have them all; each window of
    // words is tried at a few places, so that one word found nowhere else cannot end the search.
    const QStringList words = queryWords(text);
    QList<AnsweredTicket> found;
    for (qsizetype together = std::min<qsizetype>(kWordsTogether, words.size());
         together > 0 && found.size() < kSuggestions; --together) {
        for (qsizetype start = 0;
             start + together <= std::min<qsizetype>(words.size(), together + 2) &&
             found.size() < kSuggestions;
             ++start) {
            found = messages.similarAnswered(words.mid(start, together), ticketId, kCandidates);
        }
    }
    return found;
}

QList<ReplySuggestion> SimilarReplies::find(MessageRepository &messages, QStringView text,
                                            qint64 ticketId)
{
    QList<ReplySuggestion> suggestions;
    QHash<qint64, AnsweredTicket> answeredById;
    for (const AnsweredTicket &answered : candidates(messages, text, ticketId)) {
        answeredById.insert(answered.ticketId, answered);
        const double alike = similarity(text, answered.text);
        if (alike >= kMinimumSimilarity)
            suggestions.append(
                {answered.ticketId, answered.subject, alike, answered.reply, answered.category});
    }
    std::stable_sort(suggestions.begin(), suggestions.end(),
                     [](const ReplySuggestion &a, const ReplySuggestion &b) {
                         return a.similarity > b.similarity;
                     });
    if (suggestions.size() > kSuggestions)
        suggestions.resize(kSuggestions);
    // Only what is offered is redacted: redacting costs more than finding.
    for (ReplySuggestion &suggestion : suggestions) {
        const AnsweredTicket &answered = answeredById[suggestion.ticketId];
        suggestion.reply =
            ReusableReply::redact(suggestion.reply, answered.text, answered.requester);
    }
    return suggestions;
}

std::optional<ReusableAnswer> SimilarReplies::closestResolved(MessageRepository &messages,
                                                              QStringView text, qint64 ticketId,
                                                              Category category,
                                                              double minimumSimilarity)
{
    QList<std::pair<double, AnsweredTicket>> alike;
    for (AnsweredTicket &answered : candidates(messages, text, ticketId)) {
        if (!answered.resolvedByTeam || answered.category != category)
            continue;
        const double closeness = similarity(text, answered.text);
        if (closeness >= minimumSimilarity)
            alike.append({closeness, std::move(answered)});
    }
    std::stable_sort(alike.begin(), alike.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    for (const auto &[closeness, answered] : std::as_const(alike)) {
        if (std::optional<QString> reply = ReusableReply::forAnotherCustomer(
                answered.reply, answered.text, answered.requester)) {
            return ReusableAnswer{answered.ticketId, closeness, std::move(*reply)};
        }
    }
    return std::nullopt;
}
