#include "piiredactor.h"

#include <QRegularExpression>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

// Precedence, one pass per rule over the output of the previous one:
//  1. e-mail addresses: their local part and domain may hold digits that later rules would eat;
//  2. IBANs (mod-97 checked), payment cards (Luhn checked) and labelled accounts
//     ("acct no. 987654321"): the most specific number shapes, and a grouped card number
//     "4111 1111 1111 1111" would otherwise look like a phone number;
//  3. phone numbers: international (+ or 00), North American and national (leading 0) shapes;
//  4. whatever long digit run is left (8+ digits in one run, or 10+ in groups) is taken for an
//     account number. So a 16-digit number failing the Luhn check ends up as `<acc_num>`: it is
//     still identifying, just not a valid card.
// Placeholders contain neither digits nor '@', so no rule touches them.
//
// Deliberately kept: dates, times, prices, version numbers, IP addresses and references shorter
// than 8 digits. IP addresses are kept because in support tickets they are nearly always private
// network diagnostics (192.168.x.x) that the classifier benefits from, and the dataset has no
// placeholder for them. Every rule therefore refuses to start or end next to '.', ',' or a
// letter, which is what dates, versions, IPs, prices and codes such as 0x80070005 look like.

namespace {

// How many leading characters of a candidate are personal data; 0 keeps the candidate.
using Judge = qsizetype (*)(QStringView candidate);

struct Rule
{
    QRegularExpression pattern; // the candidate is the named group "pii"
    Judge judge;
    QString placeholder;
};

int countDigits(QStringView text)
{
    int digits = 0;
    for (const QChar c : text) {
        if (c.isDigit())
            ++digits;
    }
    return digits;
}

bool passesLuhn(QStringView number)
{
    int sum = 0;
    bool doubled = false;
    for (auto it = number.crbegin(); it != number.crend(); ++it) {
        if (!it->isDigit())
            continue;
        int digit = it->digitValue();
        if (doubled) {
            digit *= 2;
            if (digit > 9)
                digit -= 9;
        }
        sum += digit;
        doubled = !doubled;
    }
    return sum % 10 == 0;
}

// ISO 13616: move the country code and check digits to the end, letters count as 10..35, and
// the whole number must be 1 modulo 97.
bool isValidIban(QStringView candidate)
{
    QString compact;
    for (const QChar c : candidate) {
        if (c != u' ')
            compact += c;
    }
    if (compact.size() < 15 || compact.size() > 34)
        return false;
    const QString rotated = compact.sliced(4) + compact.first(4);
    int remainder = 0;
    for (const QChar c : rotated) {
        if (c >= u'0' && c <= u'9')
            remainder = (remainder * 10 + (c.unicode() - u'0')) % 97;
        else
            remainder = (remainder * 100 + (c.unicode() - u'A' + 10)) % 97;
    }
    return remainder == 1;
}

// The regular expressions may run on into a following word in capitals or a following number
// ("... 0130 00 THIS", "+49 30 1234567 2024"); dropping trailing groups recovers the real item.
qsizetype withoutLastGroup(QStringView candidate)
{
    for (qsizetype i = candidate.size() - 1; i > 0; --i) {
        const QChar c = candidate.at(i);
        if (c == u' ' || c == u'-' || c == u'.' || c == u'(')
            return i;
    }
    return 0;
}

qsizetype judgeEmail(QStringView candidate)
{
    return candidate.size();
}

qsizetype judgeIban(QStringView candidate)
{
    while (!candidate.isEmpty() && !isValidIban(candidate))
        candidate.truncate(withoutLastGroup(candidate));
    return candidate.size();
}

qsizetype judgeCard(QStringView candidate)
{
    const int digits = countDigits(candidate);
    return digits >= 13 && digits <= 19 && passesLuhn(candidate) ? candidate.size() : 0;
}

qsizetype judgeLabelledAccount(QStringView candidate)
{
    return countDigits(candidate) >= 6 ? candidate.size() : 0;
}

qsizetype judgePhone(QStringView candidate)
{
    // E.164 allows 15 digits after the country prefix; "00" is a prefix like "+".
    const int prefixDigits = candidate.startsWith(u"00") ? 2 : 0;
    while (countDigits(candidate) - prefixDigits > 15)
        candidate.truncate(withoutLastGroup(candidate));
    return countDigits(candidate) - prefixDigits >= 7 ? candidate.size() : 0;
}

qsizetype judgeDigitRun(QStringView candidate)
{
    return candidate.size();
}

qsizetype judgeGroupedDigits(QStringView candidate)
{
    // Fewer digits in groups are year ranges ("2023-2024") and quantities ("100 000").
    return countDigits(candidate) >= 10 ? candidate.size() : 0;
}

// Shared boundaries: not inside a word, a number, a decimal, a time, a date or a dotted/dashed
// sequence. Start and end reject the same neighbours, so a match never depends on which side of
// a "1234-5678" chain happens to be tried first.
constexpr auto numberStart = R"((?<![\w.,+-])(?<!\d[:/]))";
constexpr auto numberEnd = R"((?!\w)(?![.,:/-]\d))";
// Account numbers may follow "ID:" or "/orders/", but not a digit and a dash.
constexpr auto accountStart = R"((?<![\w.,])(?<!\d[:/-]))";

QRegularExpression
compile(const QString &pattern,
        QRegularExpression::PatternOptions extra = QRegularExpression::NoPatternOption)
{
    return QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption | extra);
}

const std::array<Rule, 9> &rules()
{
    static const std::array<Rule, 9> all{{
        {compile(uR"((?<![\w.%+-])(?<pii>[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}))"_s),
         judgeEmail, u"<email>"_s},
        // Upper case only: lower-case words followed by digits are too common to check.
        {compile(
             uR"((?<!\w)(?<pii>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?!\w))"_s),
         judgeIban, u"<acc_num>"_s},
        // 13-19 digits in one run, or groups with one separator kind starting with 4 digits
        // (4-4-4-4, Amex 4-6-5, ...).
        {compile(QLatin1String(numberStart) +
                 uR"((?<pii>\d{13,19}|\d{4}(?<sep>[ -])\d{4,6}(?:\k<sep>\d{1,6}){1,3}))"_s +
                 QLatin1String(numberEnd)),
         judgeCard, u"<card_num>"_s},
        // A label is strong evidence, so shorter numbers count and the phone rules come later.
        {compile(uR"((?<!\w)(?:account|acct|acc|a/c|kontonummer|konto))"
                 uR"((?:\s*(?:number|num|nr|no)\.?|\s*#)?\s*[:#]?\s*)"
                 uR"((?<pii>\d(?:[ -]?\d){5,33}))"_s +
                     QLatin1String(numberEnd),
                 QRegularExpression::CaseInsensitiveOption),
         judgeLabelledAccount, u"<acc_num>"_s},
        // International: "+49 30 1234567", "+1 (555) 123-4567", "0044 20 7946 0958". Digit groups
        // are possessive so that a long run cannot be split in exponentially many ways.
        {compile(uR"((?<![\w+])(?<pii>(?:\+\d{1,3}|00\d{1,3}(?=[ .(-])))"
                 uR"((?:[ .-]?(?:\(\d{1,5}\)|\d++)){1,7}))"_s +
                 QLatin1String(numberEnd)),
         judgePhone, u"<tel_num>"_s},
        // North American: "(555) 123-4567", "555-123-4567", "555.123.4567".
        {compile(QLatin1String(numberStart) +
                 uR"((?<pii>(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}))"_s +
                 QLatin1String(numberEnd)),
         judgePhone, u"<tel_num>"_s},
        // National with trunk prefix: "030 1234567", "(030) 123 45 67", "0171-1234567". The
        // subscriber part needs 3+ digits, which keeps "01-05-2024" a date.
        {compile(QLatin1String(numberStart) +
                 uR"((?<pii>(?:\(0\d{1,4}\)[ -]?|0\d{1,4}[ /-])\d{3,8}(?:[ -]\d{2,8}){0,3}))"_s +
                 QLatin1String(numberEnd)),
         judgePhone, u"<tel_num>"_s},
        {compile(QLatin1String(accountStart) + uR"((?<pii>\d{8,}))"_s + QLatin1String(numberEnd)),
         judgeDigitRun, u"<acc_num>"_s},
        {compile(QLatin1String(accountStart) +
                 uR"((?<pii>\d{3,6}(?<sep>[ -])\d{3,6}(?:\k<sep>\d{1,6})*+))"_s +
                 QLatin1String(numberEnd)),
         judgeGroupedDigits, u"<acc_num>"_s},
    }};
    return all;
}

QString apply(const QString &text, const Rule &rule)
{
    QString result;
    qsizetype copied = 0;
    auto matches = rule.pattern.globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const qsizetype start = match.capturedStart(u"pii");
        const qsizetype length =
            rule.judge(QStringView(text).sliced(start, match.capturedLength(u"pii")));
        if (length == 0)
            continue;
        result += QStringView(text).sliced(copied, start - copied);
        result += rule.placeholder;
        copied = start + length;
    }
    if (copied == 0)
        return text;
    result += QStringView(text).sliced(copied);
    return result;
}

} // namespace

QString PiiRedactor::redact(QStringView text)
{
    // The boundary checks look at neighbouring characters, and a replacement changes them
    // ("4711-<acc_num>" no longer has a digit after the dash). Repeating until nothing changes
    // makes redact() idempotent by construction; it ends because every replacement removes digits
    // or an '@', and ordinary text needs just one confirming extra round.
    QString result = text.toString();
    for (;;) {
        QString next = result;
        for (const Rule &rule : rules()) {
            Q_ASSERT(rule.pattern.isValid());
            next = apply(next, rule);
        }
        if (next == result)
            return result;
        result = std::move(next);
    }
}
