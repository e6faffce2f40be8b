#include "sentencesummarizer.h"

#include <QList>

#include <algorithm>
#include <array>
#include <iterator>

using namespace Qt::StringLiterals;

namespace {

// Words that carry no topic of their own; a sentence is as informative as the words it has
// beyond these. Kept short on purpose: a longer list mostly removes words people search for.
constexpr QLatin1StringView kStopWords[] = {
    "a"_L1,       "about"_L1,  "after"_L1, "all"_L1,     "also"_L1,  "am"_L1,     "an"_L1,
    "and"_L1,     "any"_L1,    "are"_L1,   "as"_L1,      "at"_L1,    "be"_L1,     "been"_L1,
    "but"_L1,     "by"_L1,     "can"_L1,   "could"_L1,   "did"_L1,   "do"_L1,     "does"_L1,
    "for"_L1,     "from"_L1,   "had"_L1,   "has"_L1,     "have"_L1,  "he"_L1,     "her"_L1,
    "him"_L1,     "his"_L1,    "how"_L1,   "i"_L1,       "if"_L1,    "in"_L1,     "into"_L1,
    "is"_L1,      "it"_L1,     "its"_L1,   "just"_L1,    "me"_L1,    "my"_L1,     "no"_L1,
    "not"_L1,     "of"_L1,     "on"_L1,    "or"_L1,      "our"_L1,   "please"_L1, "she"_L1,
    "so"_L1,      "some"_L1,   "that"_L1,  "the"_L1,     "their"_L1, "them"_L1,   "then"_L1,
    "there"_L1,   "these"_L1,  "they"_L1,  "this"_L1,    "to"_L1,    "too"_L1,    "up"_L1,
    "us"_L1,      "very"_L1,   "was"_L1,   "we"_L1,      "were"_L1,  "what"_L1,   "when"_L1,
    "which"_L1,   "will"_L1,   "with"_L1,  "would"_L1,   "you"_L1,   "your"_L1,   "hope"_L1,
    "thank"_L1,   "thanks"_L1, "hello"_L1, "hi"_L1,      "dear"_L1,  "team"_L1,   "support"_L1,
    "regards"_L1, "well"_L1,   "email"_L1, "writing"_L1, "finds"_L1, "reach"_L1,  "reaching"_L1,
};

// A sentence starting with one of these, and short, is a salutation.
constexpr QLatin1StringView kGreetings[] = {
    "dear"_L1,
    "hello"_L1,
    "hi"_L1,
    "hey"_L1,
    "greetings"_L1,
    "good morning"_L1,
    "good afternoon"_L1,
    "good evening"_L1,
    "to whom it may concern"_L1,
};

// Closings after which only a name or a signature follows: the rest of the text is skipped,
// however long the signature is.
constexpr QLatin1StringView kClosings[] = {
    "best regards"_L1, "kind regards"_L1,    "warm regards"_L1, "regards"_L1,
    "sincerely"_L1,    "yours sincerely"_L1, "yours truly"_L1,  "yours faithfully"_L1,
    "best wishes"_L1,  "cheers"_L1,          "best,"_L1,
};

// Polite thanks; skipped as a sentence, but text after it may still matter ("Thanks for the
// quick reply. The problem is back.").
constexpr QLatin1StringView kThanks[] = {
    "thank you"_L1,
    "thanks"_L1,
    "many thanks"_L1,
    "thx"_L1,
};

// Salutations and thanks are short; a long sentence that merely starts with "Hi" is content.
constexpr int kMaxFormulaWords = 8;

bool startsWithPhrase(QStringView sentence, QLatin1StringView phrase)
{
    if (!sentence.startsWith(phrase, Qt::CaseInsensitive))
        return false;
    // A whole word: "Hillary" does not start with "hi".
    return sentence.size() == phrase.size() || !sentence[phrase.size()].isLetterOrNumber();
}

template<std::size_t N>
bool startsWithAny(QStringView sentence, const QLatin1StringView (&phrases)[N])
{
    for (const QLatin1StringView phrase : phrases) {
        if (startsWithPhrase(sentence, phrase))
            return true;
    }
    return false;
}

bool isStopWord(QStringView word)
{
    // Words longer than any stop word are the common case; they skip the search entirely.
    constexpr qsizetype kLongestStopWord = 8;
    if (word.size() > kLongestStopWord)
        return false;
    // Sorted once, then searched in O(log n): every word of every sentence comes through here.
    static const auto sorted = [] {
        std::array<QLatin1StringView, std::size(kStopWords)> words{};
        std::copy(std::cbegin(kStopWords), std::cend(kStopWords), words.begin());
        std::sort(words.begin(), words.end(), [](QLatin1StringView a, QLatin1StringView b) {
            return a.compare(b, Qt::CaseInsensitive) < 0;
        });
        return words;
    }();
    const auto it = std::lower_bound(sorted.cbegin(), sorted.cend(), word,
                                     [](QLatin1StringView stop, QStringView w) {
                                         return w.compare(stop, Qt::CaseInsensitive) > 0;
                                     });
    return it != sorted.cend() && word.compare(*it, Qt::CaseInsensitive) == 0;
}

struct WordCounts
{
    int words = 0;
    int contentWords = 0;
};

WordCounts countWords(QStringView sentence)
{
    WordCounts counts;
    qsizetype start = -1;
    const auto finish = [&](qsizetype end) {
        const QStringView word = sentence.mid(start, end - start);
        ++counts.words;
        // Single letters and stop words say nothing about the topic.
        if (word.size() > 1 && !isStopWord(word))
            ++counts.contentWords;
    };
    for (qsizetype i = 0; i < sentence.size(); ++i) {
        const QChar c = sentence[i];
        const bool wordChar = c.isLetterOrNumber() || (start >= 0 && (c == u'\'' || c == u'-'));
        if (wordChar && start < 0)
            start = i;
        else if (!wordChar && start >= 0) {
            finish(i);
            start = -1;
        }
    }
    if (start >= 0)
        finish(sentence.size());
    return counts;
}

// Sentences end at . ! ? followed by white space or the end, and at line breaks, so "3.5",
// "v2.1" and "e.g.," inside a sentence do not split it.
QList<QStringView> splitSentences(QStringView text)
{
    QList<QStringView> sentences;
    qsizetype start = 0;
    const auto push = [&](qsizetype end) {
        const QStringView sentence = text.mid(start, end - start).trimmed();
        if (!sentence.isEmpty())
            sentences.append(sentence);
        start = end;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\n' || c == u'\r' || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator) {
            push(i);
            start = i + 1;
        } else if (c == u'.' || c == u'!' || c == u'?') {
            qsizetype end = i + 1;
            while (end < text.size() &&
                   (text[end] == u'.' || text[end] == u'!' || text[end] == u'?'))
                ++end;
            if (end == text.size() || text[end].isSpace()) {
                push(end);
                i = end - 1;
            }
        }
    }
    push(text.size());
    return sentences;
}

// "Hello Anna, my order never arrived." keeps only what follows the salutation.
QStringView withoutLeadingGreeting(QStringView sentence)
{
    if (!startsWithAny(sentence, kGreetings))
        return sentence;
    const qsizetype comma = sentence.indexOf(u',');
    if (comma < 0 || countWords(sentence.first(comma)).words > kMaxFormulaWords / 2)
        return sentence;
    return sentence.sliced(comma + 1).trimmed();
}

QString shorten(QString sentence, int maxLength)
{
    if (sentence.size() <= maxLength)
        return sentence;
    // One place is kept for the ellipsis.
    const qsizetype limit = maxLength - 1;
    qsizetype cut = limit;
    if (!sentence[limit].isSpace()) {
        qsizetype space = limit - 1;
        while (space > 0 && !sentence[space].isSpace())
            --space;
        // A single word longer than the limit has no boundary to cut at: it is cut inside,
        // which beats returning nothing.
        if (space > 0)
            cut = space;
    }
    if (cut == limit && cut > 0 && sentence[cut - 1].isHighSurrogate())
        --cut;
    QStringView kept = QStringView(sentence).first(cut).trimmed();
    // "the invoice, …" reads worse than "the invoice…".
    while (!kept.isEmpty() && (kept.back() == u',' || kept.back() == u';' || kept.back() == u':' ||
                               kept.back() == u'-' || kept.back().isSpace()))
        kept.chop(1);
    return kept.toString() + u'\u2026';
}

} // namespace

QString SentenceSummarizer::summarize(QStringView text, int maxLength)
{
    if (maxLength <= 0)
        return {};
    const QList<QStringView> sentences = splitSentences(text);
    if (sentences.isEmpty())
        return {};

    QStringView best;
    int bestScore = -1;
    for (const QStringView raw : sentences) {
        const int words = countWords(raw).words;
        const bool formula = words <= kMaxFormulaWords;
        if (startsWithAny(raw, kClosings))
            break;
        if (formula && (startsWithAny(raw, kGreetings) || startsWithAny(raw, kThanks)))
            continue;
        const QStringView sentence = withoutLeadingGreeting(raw);
        const int score = countWords(sentence).contentWords;
        // Strictly greater: on a tie the earlier sentence, usually the problem statement, wins.
        if (score > bestScore) {
            best = sentence;
            bestScore = score;
        }
    }
    // Only formulas ("Hi!", "Thanks"): the first of them is still better than nothing.
    if (best.isEmpty())
        best = sentences.first();
    return shorten(best.toString().simplified(), maxLength);
}
