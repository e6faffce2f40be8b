#pragma once

#include <QByteArray>
#include <QString>

// Writes the text/event-stream format that SseParser reads: events and the comments that keep
// an idle stream's connection alive.
class SseWriter final
{
public:
    // An event of this type whose data is these lines (split at any CR or LF, so that no line
    // break can end it early), with an id when one is given. Type and id must be one line.
    static QByteArray event(const QString &type, const QString &data, const QString &id = {});
    // A line every reader ignores.
    static QByteArray comment(const QString &text);
};
