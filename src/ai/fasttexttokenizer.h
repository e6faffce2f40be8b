#pragma once

#include <QStringView>

#include <string>

// Turns ticket text into the words the learned model reads: lower case, UTF-8, separated by
// single spaces. Training files and predictions go through the same function, so the model
// never sees text prepared two ways.
class FastTextTokenizer final
{
public:
    // Stored with a model: a model trained on other tokens must not be fed these.
    static constexpr int kVersion = 1;

    // Replaces *out with the tokens of text. Letters and digits make words; apostrophes inside
    // a word are dropped ("doesn't" -> "doesnt"); every run of digits is the one word "0";
    // placeholders such as <name> or <acc_num> stay one word; everything else separates.
    static void tokenize(QStringView text, std::string *out);
    static std::string tokenize(QStringView text);
};
