#pragma once

#include <QString>
#include <QStringView>

// Replaces personal data (e-mail, phone, card and account numbers) by the dataset's placeholders
// before ticket text is sent to a remote LLM.
class PiiRedactor final
{
public:
    PiiRedactor() = delete;

    // Pure and thread-safe; placeholders already in the text (`<email>`, ...) are kept.
    static QString redact(QStringView text);
};
