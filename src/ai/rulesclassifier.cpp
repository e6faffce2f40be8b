#include "rulesclassifier.h"

#include <QHash>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// One lexicon term: a word or a phrase of up to kMaxPhraseWords words, written the way the
// tokeniser normalises text (lower case, single spaces, apostrophes dropped: "doesnt work").
// T/B/G add evidence for technical, billing and general; U adds urgency (positive: high
// priority, negative: low priority).
struct Term
{
    const char16_t *text;
    float technical;
    float billing;
    float general;
    float urgency;
};

constexpr int kMaxPhraseWords = 4;

// Weights are domain knowledge, not fitted to any data: 3 = nearly decisive on its own
// ("refund"), 2 = strong, 1 = suggestive, 0.5 = weak or ambiguous. Product nouns (laptop,
// printer) are weak technical evidence, so the intent words around them decide: a refund for
// a broken laptop is billing. Phrases win over the words inside them, so "not urgent" is not
// read as "urgent" and "payroll" never counts as "pay".
// clang-format off
constexpr Term kLexicon[] = {
    //  term                          T     B     G     U
    // --- technical: faults, outages, IT ---
    {u"error",                      2.0f, 0.0f, 0.0f, 0.0f},
    {u"error message",              2.5f, 0.0f, 0.0f, 0.0f},
    {u"bug",                        2.0f, 0.0f, 0.0f, 0.0f},
    {u"crash",                      2.5f, 0.0f, 0.0f, 0.5f},
    {u"crashes",                    2.5f, 0.0f, 0.0f, 0.5f},
    {u"crashed",                    2.5f, 0.0f, 0.0f, 0.5f},
    {u"crashing",                   2.5f, 0.0f, 0.0f, 0.5f},
    {u"freeze",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"freezes",                    2.0f, 0.0f, 0.0f, 0.0f},
    {u"frozen",                     1.5f, 0.0f, 0.0f, 0.0f},
    {u"server",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"servers",                    2.0f, 0.0f, 0.0f, 0.0f},
    {u"outage",                     3.0f, 0.0f, 0.0f, 2.0f},
    {u"downtime",                   3.0f, 0.0f, 0.0f, 1.5f},
    {u"down",                       1.5f, 0.0f, 0.0f, 1.5f},
    {u"is down",                    2.5f, 0.0f, 0.0f, 2.0f},
    {u"went down",                  2.5f, 0.0f, 0.0f, 2.0f},
    {u"maintenance",                2.0f, 0.0f, 0.0f, 0.0f},
    {u"scheduled maintenance",      2.5f, 0.0f, 0.0f, -0.5f},
    {u"service interruption",       3.0f, 0.0f, 0.0f, 1.5f},
    {u"disruption",                 2.0f, 0.0f, 0.0f, 1.0f},
    {u"unavailable",                1.5f, 0.0f, 0.0f, 0.5f},
    {u"unresponsive",               2.0f, 0.0f, 0.0f, 0.5f},
    {u"not working",                2.0f, 0.0f, 0.0f, 0.5f},
    {u"stopped working",            2.5f, 0.0f, 0.0f, 0.5f},
    {u"doesnt work",                2.0f, 0.0f, 0.0f, 0.5f},
    {u"isnt working",               2.0f, 0.0f, 0.0f, 0.5f},
    {u"not loading",                2.0f, 0.0f, 0.0f, 0.0f},
    {u"wont start",                 2.0f, 0.0f, 0.0f, 0.0f},
    {u"wont boot",                  2.5f, 0.0f, 0.0f, 0.0f},
    {u"boot",                       1.5f, 0.0f, 0.0f, 0.0f},
    {u"reboot",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"restart",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"blue screen",                3.0f, 0.0f, 0.0f, 0.0f},
    {u"timeout",                    2.0f, 0.0f, 0.0f, 0.0f},
    {u"timed out",                  2.0f, 0.0f, 0.0f, 0.0f},
    {u"slow",                       1.0f, 0.0f, 0.0f, 0.0f},
    {u"latency",                    2.0f, 0.0f, 0.0f, 0.0f},
    {u"performance",                1.0f, 0.0f, 0.0f, 0.0f},
    {u"install",                    1.5f, 0.0f, 0.0f, 0.0f},
    {u"installation",               1.5f, 0.0f, 0.0f, 0.0f},
    {u"installed",                  1.0f, 0.0f, 0.0f, 0.0f},
    {u"update",                     1.0f, 0.0f, 0.0f, 0.0f},
    {u"upgrade",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"patch",                      1.5f, 0.0f, 0.0f, 0.0f},
    {u"firmware",                   2.0f, 0.0f, 0.0f, 0.0f},
    {u"driver",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"software",                   1.5f, 0.0f, 0.0f, 0.0f},
    {u"hardware",                   1.5f, 0.0f, 0.0f, 0.0f},
    {u"network",                    2.0f, 0.0f, 0.0f, 0.0f},
    {u"wifi",                       2.0f, 0.0f, 0.0f, 0.0f},
    {u"wi fi",                      2.0f, 0.0f, 0.0f, 0.0f},
    {u"vpn",                        2.5f, 0.0f, 0.0f, 0.0f},
    {u"router",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"firewall",                   2.5f, 0.0f, 0.0f, 0.0f},
    {u"connection",                 1.5f, 0.0f, 0.0f, 0.0f},
    {u"connectivity",               2.0f, 0.0f, 0.0f, 0.0f},
    {u"disconnect",                 1.5f, 0.0f, 0.0f, 0.0f},
    {u"disconnects",                1.5f, 0.0f, 0.0f, 0.0f},
    {u"api",                        2.0f, 0.0f, 0.0f, 0.0f},
    {u"integration",                1.5f, 0.0f, 0.0f, 0.0f},
    {u"database",                   2.0f, 0.0f, 0.0f, 0.0f},
    {u"sync",                       1.5f, 0.0f, 0.0f, 0.0f},
    {u"synchronization",            1.5f, 0.0f, 0.0f, 0.0f},
    {u"configuration",              1.5f, 0.0f, 0.0f, 0.0f},
    {u"configure",                  1.5f, 0.0f, 0.0f, 0.0f},
    {u"settings",                   1.0f, 0.0f, 0.0f, 0.0f},
    {u"login",                      2.0f, 0.0f, 0.0f, 0.0f},
    {u"log in",                     2.0f, 0.0f, 0.0f, 0.0f},
    {u"sign in",                    1.5f, 0.0f, 0.0f, 0.0f},
    {u"password",                   2.0f, 0.0f, 0.0f, 0.0f},
    {u"locked out",                 2.0f, 0.0f, 0.0f, 0.5f},
    {u"authentication",             2.0f, 0.0f, 0.0f, 0.0f},
    {u"2fa",                        2.0f, 0.0f, 0.0f, 0.0f},
    {u"certificate",                1.5f, 0.0f, 0.0f, 0.0f},
    {u"ssl",                        2.0f, 0.0f, 0.0f, 0.0f},
    {u"encryption",                 1.5f, 0.0f, 0.0f, 0.0f},
    {u"security",                   1.5f, 0.0f, 0.0f, 0.0f},
    {u"vulnerability",              2.0f, 0.0f, 0.0f, 1.0f},
    {u"breach",                     2.0f, 0.0f, 0.0f, 2.0f},
    {u"malware",                    2.5f, 0.0f, 0.0f, 1.5f},
    {u"virus",                      2.0f, 0.0f, 0.0f, 1.0f},
    {u"ransomware",                 3.0f, 0.0f, 0.0f, 2.0f},
    {u"backup",                     1.5f, 0.0f, 0.0f, 0.0f},
    {u"restore",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"data loss",                  2.5f, 0.0f, 0.0f, 2.0f},
    {u"corrupted",                  2.0f, 0.0f, 0.0f, 0.5f},
    {u"browser",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"cache",                      1.5f, 0.0f, 0.0f, 0.0f},
    {u"deployment",                 1.5f, 0.0f, 0.0f, 0.0f},
    {u"cloud",                      1.0f, 0.0f, 0.0f, 0.0f},
    {u"storage",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"exception",                  2.0f, 0.0f, 0.0f, 0.0f},
    {u"stack trace",                3.0f, 0.0f, 0.0f, 0.0f},
    {u"logs",                       1.0f, 0.0f, 0.0f, 0.0f},
    {u"troubleshoot",               2.0f, 0.0f, 0.0f, 0.0f},
    {u"troubleshooting",            2.0f, 0.0f, 0.0f, 0.0f},
    {u"technical",                  1.5f, 0.0f, 0.0f, 0.0f},
    {u"it support",                 2.5f, 0.0f, 0.0f, 0.0f},
    {u"system",                     0.5f, 0.0f, 0.0f, 0.0f},
    {u"application",                0.5f, 0.0f, 0.0f, 0.0f},
    {u"app",                        1.0f, 0.0f, 0.0f, 0.0f},
    {u"device",                     0.5f, 0.0f, 0.0f, 0.0f},
    {u"laptop",                     0.5f, 0.0f, 0.0f, 0.0f},
    {u"printer",                    1.0f, 0.0f, 0.0f, 0.0f},
    {u"screen",                     0.5f, 0.0f, 0.0f, 0.0f},
    {u"email server",               2.5f, 0.0f, 0.0f, 0.0f},
    {u"404",                        2.0f, 0.0f, 0.0f, 0.0f},
    {u"500",                        1.0f, 0.0f, 0.0f, 0.0f},
    {u"broken",                     1.0f, 0.0f, 0.0f, 0.0f},
    {u"fails",                      1.5f, 0.0f, 0.0f, 0.0f},
    {u"failed",                     1.0f, 0.0f, 0.0f, 0.0f},
    {u"failure",                    1.5f, 0.0f, 0.0f, 0.5f},
    {u"issue",                      0.5f, 0.0f, 0.0f, 0.0f},
    {u"malfunction",                2.0f, 0.0f, 0.0f, 0.0f},
    {u"glitch",                     2.0f, 0.0f, 0.0f, 0.0f},

    // --- billing: invoices, payments, refunds, returns and exchanges ---
    {u"invoice",                    0.0f, 2.5f, 0.0f, 0.0f},
    {u"invoices",                   0.0f, 2.5f, 0.0f, 0.0f},
    {u"invoiced",                   0.0f, 2.5f, 0.0f, 0.0f},
    {u"billing",                    0.0f, 3.0f, 0.0f, 0.0f},
    {u"bill",                       0.0f, 2.0f, 0.0f, 0.0f},
    {u"billed",                     0.0f, 2.5f, 0.0f, 0.0f},
    {u"charge",                     0.0f, 2.0f, 0.0f, 0.0f},
    {u"charged",                    0.0f, 2.5f, 0.0f, 0.0f},
    {u"charged twice",              0.0f, 3.5f, 0.0f, 0.5f},
    {u"double charged",             0.0f, 3.5f, 0.0f, 0.5f},
    {u"overcharged",                0.0f, 3.0f, 0.0f, 0.5f},
    {u"chargeback",                 0.0f, 3.0f, 0.0f, 0.0f},
    {u"payment",                    0.0f, 2.5f, 0.0f, 0.0f},
    {u"pay",                        0.0f, 1.5f, 0.0f, 0.0f},
    {u"paid",                       0.0f, 2.0f, 0.0f, 0.0f},
    {u"refund",                     0.0f, 3.0f, 0.0f, 0.0f},
    {u"refunded",                   0.0f, 3.0f, 0.0f, 0.0f},
    {u"reimbursement",              0.0f, 2.5f, 0.0f, 0.0f},
    {u"money back",                 0.0f, 3.0f, 0.0f, 0.0f},
    {u"subscription",               0.0f, 2.0f, 0.0f, 0.0f},
    {u"renewal",                    0.0f, 1.5f, 0.0f, 0.0f},
    {u"auto renewal",               0.0f, 2.0f, 0.0f, 0.0f},
    {u"cancel my subscription",     0.0f, 3.0f, 0.0f, 0.0f},
    {u"credit card",                0.0f, 2.5f, 0.0f, 0.0f},
    {u"debit card",                 0.0f, 2.5f, 0.0f, 0.0f},
    {u"card",                       0.0f, 1.0f, 0.0f, 0.0f},
    {u"bank",                       0.0f, 1.5f, 0.0f, 0.0f},
    {u"bank transfer",              0.0f, 2.5f, 0.0f, 0.0f},
    {u"paypal",                     0.0f, 2.5f, 0.0f, 0.0f},
    {u"transaction",                0.0f, 2.0f, 0.0f, 0.0f},
    {u"receipt",                    0.0f, 2.0f, 0.0f, 0.0f},
    {u"statement",                  0.0f, 1.0f, 0.0f, 0.0f},
    {u"balance",                    0.0f, 1.5f, 0.0f, 0.0f},
    {u"overdue",                    0.0f, 2.5f, 0.0f, 0.5f},
    {u"late fee",                   0.0f, 3.0f, 0.0f, 0.0f},
    {u"fee",                        0.0f, 2.0f, 0.0f, 0.0f},
    {u"fees",                       0.0f, 2.0f, 0.0f, 0.0f},
    {u"tax",                        0.0f, 1.5f, 0.0f, 0.0f},
    {u"vat",                        0.0f, 2.0f, 0.0f, 0.0f},
    {u"amount",                     0.0f, 1.0f, 0.0f, 0.0f},
    {u"wrong amount",               0.0f, 3.0f, 0.0f, 0.0f},
    {u"price",                      0.0f, 0.5f, 0.5f, 0.0f},
    {u"cost",                       0.0f, 0.5f, 0.5f, 0.0f},
    {u"discount",                   0.0f, 1.0f, 0.5f, 0.0f},
    {u"coupon",                     0.0f, 1.0f, 0.5f, 0.0f},
    {u"billing cycle",              0.0f, 3.0f, 0.0f, 0.0f},
    {u"account balance",            0.0f, 2.5f, 0.0f, 0.0f},
    {u"return",                     0.0f, 2.0f, 0.0f, 0.0f},
    {u"returns",                    0.0f, 2.0f, 0.0f, 0.0f},
    {u"returned",                   0.0f, 2.0f, 0.0f, 0.0f},
    {u"return label",               0.0f, 3.0f, 0.0f, 0.0f},
    {u"exchange",                   0.0f, 2.0f, 0.0f, 0.0f},
    {u"replacement",                0.0f, 1.0f, 0.5f, 0.0f},
    {u"purchase",                   0.0f, 1.0f, 0.5f, 0.0f},
    {u"order number",               0.0f, 1.0f, 0.5f, 0.0f},

    // --- general: customer service, product questions, sales, HR, general inquiries ---
    {u"product",                    0.0f, 0.0f, 1.0f, 0.0f},
    {u"products",                   0.0f, 0.0f, 1.0f, 0.0f},
    {u"feature",                    0.0f, 0.0f, 1.0f, 0.0f},
    {u"features",                   0.0f, 0.0f, 1.0f, 0.0f},
    {u"how do i",                   0.0f, 0.0f, 1.0f, 0.0f},
    {u"how to",                     0.0f, 0.0f, 1.0f, 0.0f},
    {u"guide",                      0.0f, 0.0f, 1.0f, 0.0f},
    {u"documentation",              0.0f, 0.0f, 1.0f, 0.0f},
    {u"manual",                     0.0f, 0.0f, 1.0f, 0.0f},
    {u"tutorial",                   0.0f, 0.0f, 1.5f, 0.0f},
    {u"recommend",                  0.0f, 0.0f, 1.5f, 0.0f},
    {u"recommendation",             0.0f, 0.0f, 1.5f, 0.0f},
    {u"recommendations",            0.0f, 0.0f, 1.5f, 0.0f},
    {u"demo",                       0.0f, 0.0f, 2.0f, 0.0f},
    {u"trial",                      0.0f, 0.0f, 1.5f, 0.0f},
    {u"quote",                      0.0f, 0.0f, 2.0f, 0.0f},
    {u"quotation",                  0.0f, 0.0f, 2.0f, 0.0f},
    {u"pricing",                    0.0f, 0.5f, 2.0f, 0.0f},
    {u"sales",                      0.0f, 0.0f, 2.0f, 0.0f},
    {u"interested in",              0.0f, 0.0f, 2.0f, -0.5f},
    {u"partnership",                0.0f, 0.0f, 2.5f, 0.0f},
    {u"reseller",                   0.0f, 0.0f, 2.0f, 0.0f},
    {u"bulk order",                 0.0f, 0.0f, 2.0f, 0.0f},
    {u"enterprise plan",            0.0f, 0.0f, 2.0f, 0.0f},
    {u"delivery",                   0.0f, 0.0f, 1.5f, 0.0f},
    {u"shipping",                   0.0f, 0.0f, 1.5f, 0.0f},
    {u"shipped",                    0.0f, 0.0f, 1.5f, 0.0f},
    {u"tracking",                   0.0f, 0.0f, 1.5f, 0.0f},
    {u"order status",               0.0f, 0.0f, 2.5f, 0.0f},
    {u"opening hours",              0.0f, 0.0f, 3.0f, -1.0f},
    {u"business hours",             0.0f, 0.0f, 3.0f, -1.0f},
    {u"contact",                    0.0f, 0.0f, 1.0f, 0.0f},
    {u"complaint",                  0.0f, 0.0f, 2.0f, 0.0f},
    {u"feedback",                   0.0f, 0.0f, 2.0f, -1.0f},
    {u"suggestion",                 0.0f, 0.0f, 2.0f, -1.0f},
    {u"experience",                 0.0f, 0.0f, 1.0f, 0.0f},
    {u"customer service",           0.0f, 0.0f, 2.0f, 0.0f},
    {u"representative",             0.0f, 0.0f, 1.5f, 0.0f},
    {u"staff",                      0.0f, 0.0f, 1.0f, 0.0f},
    {u"rude",                       0.0f, 0.0f, 2.0f, 0.0f},
    {u"hr",                         0.0f, 0.0f, 3.0f, 0.0f},
    {u"human resources",            0.0f, 0.0f, 3.0f, 0.0f},
    {u"employee",                   0.0f, 0.0f, 2.0f, 0.0f},
    {u"employees",                  0.0f, 0.0f, 2.0f, 0.0f},
    {u"payroll",                    0.0f, 0.0f, 2.5f, 0.0f},
    {u"vacation",                   0.0f, 0.0f, 2.5f, 0.0f},
    {u"leave",                      0.0f, 0.0f, 1.0f, 0.0f},
    {u"parental leave",             0.0f, 0.0f, 3.0f, 0.0f},
    {u"benefits",                   0.0f, 0.0f, 1.5f, 0.0f},
    {u"hiring",                     0.0f, 0.0f, 2.5f, 0.0f},
    {u"job",                        0.0f, 0.0f, 2.0f, 0.0f},
    {u"job application",            0.0f, 0.0f, 3.0f, 0.0f},
    {u"position",                   0.0f, 0.0f, 1.0f, 0.0f},
    {u"resume",                     0.0f, 0.0f, 1.5f, 0.0f},
    {u"interview",                  0.0f, 0.0f, 2.5f, 0.0f},
    {u"onboarding",                 0.0f, 0.0f, 1.5f, 0.0f},
    {u"policy",                     0.0f, 0.0f, 1.0f, 0.0f},
    {u"warranty",                   0.0f, 0.5f, 1.5f, 0.0f},
    {u"availability",               0.0f, 0.0f, 1.5f, 0.0f},
    {u"in stock",                   0.0f, 0.0f, 2.5f, 0.0f},
    {u"catalog",                    0.0f, 0.0f, 2.0f, 0.0f},
    {u"brochure",                   0.0f, 0.0f, 2.0f, 0.0f},
    {u"newsletter",                 0.0f, 0.0f, 2.0f, -0.5f},
    {u"marketing",                  0.0f, 0.0f, 1.5f, 0.0f},
    {u"information",                0.0f, 0.0f, 1.0f, -1.0f},
    {u"details",                    0.0f, 0.0f, 0.5f, 0.0f},
    {u"inquiry",                    0.0f, 0.0f, 1.5f, -1.0f},
    {u"enquiry",                    0.0f, 0.0f, 1.5f, -1.0f},
    {u"general inquiry",            0.0f, 0.0f, 3.0f, -1.0f},
    {u"question",                   0.0f, 0.0f, 1.0f, -1.0f},
    {u"questions",                  0.0f, 0.0f, 1.0f, -1.0f},
    {u"compare",                    0.0f, 0.0f, 1.5f, 0.0f},
    {u"comparison",                 0.0f, 0.0f, 1.5f, 0.0f},
    {u"specifications",             0.0f, 0.0f, 1.5f, 0.0f},
    {u"specs",                      0.0f, 0.0f, 1.5f, 0.0f},
    {u"accessories",                0.0f, 0.0f, 1.5f, 0.0f},
    {u"store",                      0.0f, 0.0f, 1.0f, 0.0f},
    {u"membership",                 0.0f, 0.0f, 1.0f, 0.0f},
    {u"account details",            0.0f, 0.0f, 1.5f, 0.0f},
    {u"change my address",          0.0f, 0.0f, 2.0f, 0.0f},

    // --- urgency only ---
    {u"urgent",                     0.0f, 0.0f, 0.0f, 2.0f},
    {u"urgently",                   0.0f, 0.0f, 0.0f, 2.0f},
    {u"immediately",                0.0f, 0.0f, 0.0f, 1.5f},
    {u"immediate",                  0.0f, 0.0f, 0.0f, 1.5f},
    {u"asap",                       0.0f, 0.0f, 0.0f, 2.0f},
    {u"as soon as possible",        0.0f, 0.0f, 0.0f, 1.5f},
    {u"right away",                 0.0f, 0.0f, 0.0f, 1.5f},
    {u"critical",                   0.5f, 0.0f, 0.0f, 2.0f},
    {u"emergency",                  0.0f, 0.0f, 0.0f, 2.0f},
    {u"severe",                     0.0f, 0.0f, 0.0f, 1.0f},
    {u"blocking",                   0.0f, 0.0f, 0.0f, 1.5f},
    {u"production",                 0.5f, 0.0f, 0.0f, 1.0f},
    {u"all users",                  0.5f, 0.0f, 0.0f, 1.5f},
    {u"entire team",                0.0f, 0.0f, 0.0f, 1.0f},
    {u"losing money",               0.0f, 0.5f, 0.0f, 2.0f},
    {u"not urgent",                 0.0f, 0.0f, 0.0f, -2.5f},
    {u"no rush",                    0.0f, 0.0f, 0.0f, -2.5f},
    {u"not critical",               0.0f, 0.0f, 0.0f, -2.0f},
    {u"low priority",               0.0f, 0.0f, 0.0f, -2.5f},
    {u"when you have time",         0.0f, 0.0f, 0.0f, -2.5f},
    {u"when you get a",             0.0f, 0.0f, 0.0f, -2.0f},
    {u"at your convenience",        0.0f, 0.0f, 0.0f, -2.0f},
    {u"wondering",                  0.0f, 0.0f, 0.5f, -1.0f},
    {u"curious",                    0.0f, 0.0f, 0.5f, -1.0f},
    {u"would like to know",         0.0f, 0.0f, 0.5f, -1.0f},
};
// clang-format on

// Scores are divided by this before the softmax: a 3-point lead ("refund" alone) gives about
// 0.6, and several strong terms approach 1.
constexpr double kTemperature = 1.5;
// A small head start for general: it is the category of "no evidence", and wins exact ties.
constexpr double kGeneralPrior = 0.1;
constexpr float kHighUrgency = 1.0f;
constexpr float kLowUrgency = -1.0f;

struct Node
{
    std::array<float, 3> weights{};
    float urgency = 0.0f;
    // False for a word that only starts phrases.
    bool isTerm = false;
    // The longest phrase starting with this word, in words; 1 when none.
    int longestPhrase = 1;
};

// Keys point into the static lexicon strings, so lookups with a view into the text allocate
// nothing.
using Index = QHash<QStringView, Node>;

const Index &lexiconIndex()
{
    static const Index index = [] {
        Index built;
        for (const Term &term : kLexicon) {
            const QStringView text(term.text);
            Node &node = built[text];
            Q_ASSERT_X(!node.isTerm, "lexiconIndex", "duplicate lexicon term");
            node.weights = {term.technical, term.billing, term.general};
            node.urgency = term.urgency;
            node.isTerm = true;
            const qsizetype space = text.indexOf(u' ');
            if (space > 0) {
                const int words = int(text.count(u' ')) + 1;
                Q_ASSERT(words <= kMaxPhraseWords);
                Node &first = built[text.first(space)];
                first.longestPhrase = std::max(first.longestPhrase, words);
            }
        }
        return built;
    }();
    return index;
}

bool isApostrophe(char16_t c)
{
    return c == u'\'' || c == u'\u2019';
}

// Lower-cased words separated by single spaces, with each word's start offset. A phrase of n
// words is then one contiguous slice, looked up without building a string. ASCII, the bulk of
// the text, is folded by hand; QChar is asked only about other characters.
struct Tokens
{
    QVarLengthArray<char16_t, 2048> text;
    QVarLengthArray<qsizetype, 512> starts;
    QVarLengthArray<qsizetype, 512> ends;

    explicit Tokens(QStringView input)
    {
        const qsizetype size = input.size();
        bool inWord = false;
        for (qsizetype i = 0; i < size; ++i) {
            char16_t c = input[i].unicode();
            bool wordChar;
            if (c < 0x80) {
                if (c >= u'A' && c <= u'Z')
                    c = char16_t(c + (u'a' - u'A'));
                wordChar = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
            } else {
                const QChar qc(c);
                wordChar = qc.isLetterOrNumber();
                if (wordChar)
                    c = qc.toLower().unicode();
            }
            if (wordChar) {
                if (!inWord) {
                    if (!text.isEmpty())
                        text.append(u' ');
                    starts.append(text.size());
                    inWord = true;
                }
                text.append(c);
            } else if (inWord) {
                // "doesn't" becomes "doesnt": one token the lexicon can name.
                if (isApostrophe(c) && i + 1 < size && input[i + 1].isLetter())
                    continue;
                ends.append(text.size());
                inWord = false;
            }
        }
        if (inWord)
            ends.append(text.size());
    }

    qsizetype count() const { return starts.size(); }
    QStringView words(qsizetype first, qsizetype n) const
    {
        return QStringView(text.constData() + starts[first], ends[first + n - 1] - starts[first]);
    }
};

} // namespace

RulesClassifier::Evidence RulesClassifier::evidence(QStringView text) const
{
    const Index &index = lexiconIndex();
    const Tokens tokens(text);

    std::array<double, 3> scores{};
    double urgency = 0.0;
    const auto apply = [&](const Node &node) {
        for (size_t c = 0; c < scores.size(); ++c)
            scores[c] += node.weights[c];
        urgency += node.urgency;
    };

    const qsizetype count = tokens.count();
    for (qsizetype i = 0; i < count;) {
        const QStringView word = tokens.words(i, 1);
        auto it = index.constFind(word);
        if (it == index.cend()) {
            // Plurals the table does not list ("routers", "refunds") count as the singular.
            if (word.size() > 3 && word.endsWith(u's')) {
                const auto singular = index.constFind(word.chopped(1));
                if (singular != index.cend() && singular->isTerm)
                    apply(*singular);
            }
            ++i;
            continue;
        }
        // Longest phrase first, so "not urgent" is never also read as "urgent".
        int matched = 0;
        for (int n = int(std::min<qsizetype>(it->longestPhrase, count - i)); n > 1; --n) {
            const auto phrase = index.constFind(tokens.words(i, n));
            if (phrase != index.cend() && phrase->isTerm) {
                apply(*phrase);
                matched = n;
                break;
            }
        }
        if (matched == 0 && it->isTerm) {
            apply(*it);
            matched = 1;
        }
        i += std::max(matched, 1);
    }

    const std::size_t technical = std::size_t(Category::Technical);
    const std::size_t billing = std::size_t(Category::Billing);
    const std::size_t general = std::size_t(Category::General);
    static_assert(kAllCategories.size() == 3);

    std::array<double, 3> logits = scores;
    logits[general] += kGeneralPrior;
    const double top = *std::max_element(logits.cbegin(), logits.cend());
    Evidence result;
    result.urgency = urgency;
    result.scores = scores;
    ConfidenceCalibrator::Probabilities &probabilities = result.probabilities;
    double sum = 0.0;
    for (size_t c = 0; c < logits.size(); ++c) {
        probabilities[c] = std::exp((logits[c] - top) / kTemperature);
        sum += probabilities[c];
    }
    for (double &p : probabilities)
        p /= sum;

    // Evidence split evenly between technical and billing says neither: general, with its
    // (low) probability as the confidence.
    std::size_t best = general;
    if (logits[technical] > logits[general] && logits[technical] > logits[billing])
        best = technical;
    else if (logits[billing] > logits[general] && logits[billing] > logits[technical])
        best = billing;
    result.category = kAllCategories[best];
    return result;
}

RulesClassifier::RulesClassifier(RulesCalibration fitted, QString calibrationVersion)
    : m_fitted(fitted)
    , m_calibrationVersion(std::move(calibrationVersion))
{}

double RulesClassifier::priorConfidence(double probability)
{
    constexpr double chance = 1.0 / 3.0;
    // Below chance (general chosen because technical and billing cancel out) it stays as low.
    if (probability <= chance)
        return std::max(probability, 0.0);
    return chance +
           (std::min(probability, 1.0) - chance) * (kPriorCeiling - chance) / (1.0 - chance);
}

RulesCalibration::Reading RulesClassifier::reading(QStringView text) const
{
    const Evidence found = evidence(text);
    return {found.category, found.probabilities[std::size_t(found.category)], found.scores};
}

Prediction RulesClassifier::predict(QStringView text) const
{
    const Evidence found = evidence(text);
    Prediction prediction;
    prediction.category = found.category;
    const double probability = found.probabilities[std::size_t(found.category)];
    prediction.confidence =
        std::clamp(m_fitted ? m_fitted->confidence({found.category, probability, found.scores})
                            : priorConfidence(probability),
                   0.0, 1.0);
    const double urgency = found.urgency;
    if (urgency >= kHighUrgency)
        prediction.priority = Priority::High;
    else if (urgency <= kLowUrgency)
        prediction.priority = Priority::Low;
    else
        prediction.priority = Priority::Medium;
    return prediction;
}

QString RulesClassifier::modelName() const
{
    return u"rules-v1"_s;
}

QString RulesClassifier::modelVersion() const
{
    return m_fitted ? u"1+cal-"_s + m_calibrationVersion : u"1+prior"_s;
}
