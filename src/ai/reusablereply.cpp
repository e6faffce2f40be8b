#include "reusablereply.h"

#include "piiredactor.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

// Order of the steps: PiiRedactor first, so that an e-mail address in the reply is gone before
// its local part could be taken for a name; then the known names, so that a salutation naming the
// first customer becomes "<name>" like the dataset's own; then the salutation, which only has to
// recognise "<name>" or capitalised words.
//
// Names are replaced case-insensitively because the requester address is lower case while the
// reply capitalises. The cost is that a customer called "Bill" or "Mark" makes every reply with
// "bill" or "mark" unfit to send on its own: forAnotherCustomer() errs towards a person reading.

namespace {

constexpr qsizetype kShortestRequesterName = 3;
constexpr qsizetype kShortestSignOffName = 2;
constexpr qsizetype kMaxSignOffNames = 4;
constexpr int kSignOffLines = 2;
// A longer line in title case is a heading or a sentence, not a name with a role or a company.
constexpr qsizetype kMaxNameLineWords = 6;

const QString kNamePlaceholder = u"<name>"_s;

// Lower case. Words that are part of addresses and signatures but name nobody: shared mailboxes,
// the prefixes of external customer ids ("crm-4711"), titles, roles and company forms, and the
// words inside the dataset's placeholders, so that a name can never rewrite a placeholder.
const QSet<QString> &notNames()
{
    static const QSet<QString> words = [] {
        const QString lists[] = {
            // Shared mailboxes.
            u"info support admin administrator contact contacts service services sales "
            u"office mail email mailbox team hello noreply donotreply reply kontakt help "
            u"helpdesk billing accounts accounting finance invoice invoices orders order "
            u"shop store jobs careers marketing news newsletter press webmaster postmaster "
            u"hostmaster root abuse security privacy legal feedback enquiries inquiries "
            u"general reception post anfrage anfragen buchhaltung rechnung rechnungen "
            u"vertrieb verwaltung zentrale empfang kundenservice kundendienst bestellung "
            u"ops dev devops system alerts notifications mailer daemon bounce test user "
            u"users care customercare "_s,
            // Prefixes of customer ids.
            u"crm cust customer customers client clients account acct ext ref ticket kunde "
            u"kunden kundin "_s,
            // Titles and addressees that are nobody in particular.
            u"mr mrs ms miss mx dr prof sir madam herr frau hr fr all everyone zusammen "
            u"valued colleagues kollegen friends folks there damen herren "_s,
            // Signatures: roles, departments and company forms.
            u"the inc ltd llc gmbh ag kg ug co corp corporation company group department "
            u"dept desk manager director head lead engineer officer assistant ceo cto cfo "
            u"coo it technical tech operations solutions systems international global "
            u"project projekt abteilung leiter leiterin inhaber your my our ihr ihre ihren "
            u"ihnen dein deine from sent mobile phone fax web www "_s,
            // Closings that run on ("Thanks Again", "Danke Schön").
            u"regards thanks again best kind danke dank vielen schön advance voraus "_s,
            // Inside the placeholders.
            u"name tel num acc card "_s,
        };
        QSet<QString> set;
        for (const QString &list : lists) {
            const QStringList split = list.split(u' ', Qt::SkipEmptyParts);
            set.unite(QSet<QString>(split.cbegin(), split.cend()));
        }
        return set;
    }();
    return words;
}

// Lower-case words that may sit inside a name ("Anna von Schmidt", "Head of IT").
const QSet<QString> &nameParticles()
{
    static const QSet<QString> words{
        u"von"_s,   u"van"_s, u"der"_s, u"den"_s, u"de"_s,  u"di"_s,  u"da"_s, u"du"_s,  u"del"_s,
        u"della"_s, u"la"_s,  u"le"_s,  u"zu"_s,  u"zum"_s, u"zur"_s, u"of"_s, u"and"_s, u"und"_s,
    };
    return words;
}

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression pattern(uR"(<[A-Za-z_]+>)"_s);
    return pattern;
}

// The letters-only pieces of a word ("Müller-Lüdenscheidt", "O'Brien", "anna.schmidt42").
QStringList letterRuns(QStringView text)
{
    QStringList runs;
    QString run;
    for (const QChar c : text) {
        if (c.isLetter()) {
            run += c;
        } else if (!run.isEmpty()) {
            runs << run;
            run.clear();
        }
    }
    if (!run.isEmpty())
        runs << run;
    return runs;
}

// Both an address "anna.schmidt@example.com" (with or without a display name) and an external
// id "crm-4711" or "Anna Schmidt": the domain says whose company it is, not who wrote, and the
// local part is split where addresses join first and last name.
QStringList requesterNames(QStringView requester)
{
    static const QRegularExpression domain(uR"(@[^\s<>,;"()\[\]]*)"_s);
    QString withoutDomains = requester.toString();
    withoutDomains.remove(domain);
    QStringList names;
    for (const QString &piece : letterRuns(withoutDomains)) {
        const QString lower = piece.toLower();
        if (piece.size() >= kShortestRequesterName && !notNames().contains(lower))
            names << lower;
    }
    return names;
}

// Of a line that holds only a name, a role or a company, the words that may name someone (none
// when all are common); null when the line reads like a sentence, which ends a signature.
std::optional<QStringList> namesInLine(QStringView line)
{
    const QStringList tokens = line.toString().simplified().split(u' ', Qt::SkipEmptyParts);
    if (tokens.size() > kMaxNameLineWords)
        return std::nullopt;
    QStringList names;
    for (const QString &token : tokens) {
        const QStringList runs = letterRuns(token);
        if (runs.isEmpty())
            continue; // "|", "&", a phone number
        if (runs.size() == 1 && nameParticles().contains(runs.first().toLower()))
            continue;
        if (!runs.first().at(0).isUpper())
            return std::nullopt;
        for (const QString &run : runs) {
            const QString lower = run.toLower();
            if (run.size() >= kShortestSignOffName && run.at(0).isUpper() &&
                !notNames().contains(lower))
                names << lower;
        }
    }
    return names;
}

// Longest first: "Best regards, Anna" must not be read as "Best" followed by "regards, Anna".
QString closingAlternatives()
{
    QStringList closings{
        u"regards"_s,
        u"best regards"_s,
        u"kind regards"_s,
        u"warm regards"_s,
        u"warmest regards"_s,
        u"best wishes"_s,
        u"best"_s,
        u"thanks"_s,
        u"many thanks"_s,
        u"thanks again"_s,
        u"thanks in advance"_s,
        u"thank you"_s,
        u"thank you in advance"_s,
        u"cheers"_s,
        u"sincerely"_s,
        u"yours sincerely"_s,
        u"sincerely yours"_s,
        u"yours truly"_s,
        u"respectfully"_s,
        u"mit freundlichen grüßen"_s,
        u"mit freundlichen gruessen"_s,
        u"mit freundlichem gruß"_s,
        u"mit besten grüßen"_s,
        u"freundliche grüße"_s,
        u"viele grüße"_s,
        u"beste grüße"_s,
        u"liebe grüße"_s,
        u"herzliche grüße"_s,
        u"schöne grüße"_s,
        u"gruß"_s,
        u"grüße"_s,
        u"lg"_s,
        u"mfg"_s,
        u"vg"_s,
        u"danke"_s,
        u"vielen dank"_s,
    };
    std::stable_sort(closings.begin(), closings.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (QString &closing : closings)
        closing.replace(u' ', uR"([ \t]+)"_s);
    return closings.join(u'|');
}

constexpr auto kClosingOptions =
    QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption;

// "Best regards," alone on its line: the name follows on the next lines.
const QRegularExpression &closingLine()
{
    static const QRegularExpression pattern(
        u"^(?:"_s + closingAlternatives() + uR"()[ \t]*[,.!]?$)"_s, kClosingOptions);
    return pattern;
}

// "Thanks, Anna" / "Regards, Anna Schmidt": the name on the same line.
const QRegularExpression &closingWithName()
{
    static const QRegularExpression pattern(
        u"^(?:"_s + closingAlternatives() + uR"(),?[ \t]+(?<rest>\S.*)$)"_s, kClosingOptions);
    return pattern;
}

// The name lines that follow a closing alone on its line, at most kSignOffLines of them.
QStringList namesBelow(const QStringList &lines, qsizetype closing)
{
    QStringList names;
    int taken = 0;
    for (qsizetype i = closing + 1; i < lines.size() && taken < kSignOffLines; ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        // "Thanks.\nHerzliche Grüße,\nAnna": the next closing is not a name, and the outer
        // loop reads the name below it.
        if (closingLine().match(line).hasMatch() || closingWithName().match(line).hasMatch())
            break;
        ++taken;
        const std::optional<QStringList> inLine = namesInLine(line);
        if (!inLine)
            break;
        names += *inLine;
    }
    return names;
}

QStringList signOffNames(QStringView text)
{
    const QStringList lines = text.toString().split(u'\n');
    QStringList names;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        // The closing alone first: "Best regards," would also read as "Best" and a name line.
        if (closingLine().match(line).hasMatch()) {
            names += namesBelow(lines, i).mid(0, kMaxSignOffNames);
        } else if (const QRegularExpressionMatch match = closingWithName().match(line);
                   match.hasMatch()) {
            if (const std::optional<QStringList> inLine = namesInLine(match.captured(u"rest")))
                names += inLine->mid(0, kMaxSignOffNames);
        }
    }
    return names;
}

// Whether a name is replaced wherever its letters stand, or only where it is written as a name.
enum class NameCase { Any, Capitalised };

QString replaceNames(const QString &text, QStringList names, NameCase nameCase)
{
    names.removeDuplicates();
    if (names.isEmpty())
        return text;
    std::stable_sort(names.begin(), names.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (QString &name : names)
        name = QRegularExpression::escape(name);
    // Whole words only: "Anna" must leave "Annaberg" alone.
    const QRegularExpression pattern(uR"((?<!\w)(?:)"_s + names.join(u'|') + uR"()(?!\w))"_s,
                                     QRegularExpression::CaseInsensitiveOption |
                                         QRegularExpression::UseUnicodePropertiesOption);
    QString result;
    qsizetype copied = 0;
    for (QRegularExpressionMatchIterator it = pattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        // An agent's draft keeps "will" and "mark" of a customer called Will Mark.
        if (nameCase == NameCase::Capitalised && !match.captured().at(0).isUpper())
            continue;
        result += QStringView(text).sliced(copied, match.capturedStart() - copied);
        result += kNamePlaceholder;
        copied = match.capturedEnd();
    }
    result += QStringView(text).sliced(copied);
    return result;
}

// The words of the salutation's addressee that may be a name, lower case.
QStringList addresseeNames(const QString &text);

QString withoutKnownNames(QStringView reply, QStringView originalText,
                          QStringView originalRequester, NameCase nameCase)
{
    const QString redacted = PiiRedactor::redact(reply);
    // The reply's own salutation names the first customer too, wherever else it does so.
    return replaceNames(redacted,
                        requesterNames(originalRequester) + signOffNames(originalText) +
                            addresseeNames(redacted),
                        nameCase);
}

// What a person would have to look at before it goes to another customer, although no
// redaction rule took it for personal data: a number of four or more digits (an order, a
// postcode, the end of a card), an address with an '@', a link with parameters (a reset token),
// an IP address.
bool mayIdentifySomeone(const QString &text)
{
    static const QRegularExpression shapes(
        uR"(\d{4,}|@|https?://\S*\?|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]))"_s);
    return shapes.match(text).hasMatch();
}

// A greeting at the very start and its addressee: one to three capitalised words or
// placeholders, perhaps after titles and joined by "and", ending in ',' or '!' or at the end of the
// line. Greetings are matched in any case, addressees only capitalised, which keeps "Dear
// customer," and "Sehr geehrte Damen und Herren," (a lower-case "und") as they are.
const QRegularExpression &salutationPattern()
{
    static const QString word = uR"((?:<[A-Za-z_]+>|\p{Lu}(?:[\p{L}\p{M}'’-]*\p{L}|\.)?))"_s;
    static const QString title = uR"((?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr)\.?)"_s;
    // "Anna and Ben", "Mr and Mrs Smith", "Damen und Herren".
    static const QString separator = uR"([ \t]+(?:(?:and|und|or|oder|&)[ \t]+)?)"_s;
    static const QRegularExpression pattern(
        uR"(^(?<lead>\s*))"
        uR"((?<greeting>(?i:dear|hello|hi|hey|good[ \t]+(?:morning|afternoon|evening)|hallo|)"
        uR"(liebe/r|liebe\(r\)|lieber|liebe|sehr[ \t]+geehrte/r|sehr[ \t]+geehrte\(r\)|)"
        uR"(sehr[ \t]+geehrter|sehr[ \t]+geehrte|guten[ \t]+(?:tag|morgen|abend))))"
        uR"([ \t]+(?<addressee>(?:)"_s +
            title + uR"([ \t]+){0,2})"_s + word + uR"((?:)"_s + separator + word +
            uR"(){0,2}))"
            uR"([ \t]*(?<punctuation>[,!]|(?=\r?\n)|$))"_s,
        QRegularExpression::UseUnicodePropertiesOption);
    return pattern;
}

// "<name>, thank you for contacting us": the dataset's way of addressing without a greeting.
const QRegularExpression &bareAddresseePattern()
{
    static const QRegularExpression pattern(uR"(^(?<lead>\s*)<(?i:name)>[ \t]*,\s*)"_s);
    return pattern;
}

// "Dear Customer," and "Hello Support Team," already address nobody in particular.
bool addressesNobody(const QString &addressee)
{
    static const QRegularExpression titlePattern(
        uR"(^(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr)\.?$)"_s);
    const QStringList words = addressee.simplified().split(u' ', Qt::SkipEmptyParts);
    return std::all_of(words.cbegin(), words.cend(), [](const QString &word) {
        const QString lower = word.toLower();
        if (lower == u"and" || lower == u"und" || lower == u"or" || lower == u"oder" ||
            lower == u"&")
            return true;
        return !placeholderPattern().match(word).hasMatch() &&
               !titlePattern.match(word).hasMatch() && notNames().contains(lower);
    });
}

QStringList addresseeNames(const QString &text)
{
    const QRegularExpressionMatch salutation = salutationPattern().match(text);
    if (!salutation.hasMatch())
        return {};
    QStringList names;
    for (const QString &run : letterRuns(salutation.captured(u"addressee"))) {
        const QString lower = run.toLower();
        if (run.size() >= kShortestSignOffName && run.at(0).isUpper() &&
            !notNames().contains(lower) && !nameParticles().contains(lower))
            names << lower;
    }
    return names;
}

// The greeting a letter to someone unknown uses in the same language and register.
QString neutralGreeting(const QString &greeting)
{
    const QString key = greeting.simplified().toLower();
    if (key == u"dear")
        return u"Dear customer"_s;
    if (key == u"hi" || key == u"hello" || key == u"hey")
        return u"Hello"_s;
    if (key.startsWith(u"sehr geehrte"))
        return u"Sehr geehrte Damen und Herren"_s;
    if (key == u"hallo" || key.startsWith(u"liebe"))
        return u"Hallo"_s;
    // "Good morning", "Guten Tag": already polite without an addressee.
    return greeting.simplified();
}

} // namespace

QString ReusableReply::redact(QStringView reply, QStringView originalText,
                              QStringView originalRequester)
{
    QString text = withoutKnownNames(reply, originalText, originalRequester, NameCase::Capitalised);
    const QRegularExpressionMatch salutation = salutationPattern().match(text);
    // The title goes too: it tells the first customer's gender, which the next may not share.
    if (salutation.hasMatch() && !addressesNobody(salutation.captured(u"addressee"))) {
        text.replace(salutation.capturedStart(u"addressee"),
                     salutation.capturedLength(u"addressee"), kNamePlaceholder);
    }
    return text;
}

std::optional<QString> ReusableReply::forAnotherCustomer(QStringView reply,
                                                         QStringView originalText,
                                                         QStringView originalRequester)
{
    QString text = withoutKnownNames(reply, originalText, originalRequester, NameCase::Any);
    if (const QRegularExpressionMatch salutation = salutationPattern().match(text);
        salutation.hasMatch()) {
        if (!addressesNobody(salutation.captured(u"addressee"))) {
            const QString punctuation = salutation.captured(u"punctuation");
            const QString neutral = neutralGreeting(salutation.captured(u"greeting")) +
                                    (punctuation.isEmpty() ? u","_s : punctuation);
            const qsizetype start = salutation.capturedStart(u"greeting");
            text.replace(start, salutation.capturedEnd(u"punctuation") - start, neutral);
        }
    } else if (const QRegularExpressionMatch bare = bareAddresseePattern().match(text);
               bare.hasMatch()) {
        const qsizetype start = bare.capturedEnd(u"lead");
        text.remove(start, bare.capturedEnd() - start);
        if (start < text.size())
            text[start] = text.at(start).toUpper();
    }
    if (text.trimmed().isEmpty() || placeholderPattern().match(text).hasMatch() ||
        mayIdentifySomeone(text))
        return std::nullopt;
    return text;
}
