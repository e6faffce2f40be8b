#include "ssewriter.h"

#include <QRegularExpression>

namespace {

QByteArray oneLine(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace('\r', ' ');
    bytes.replace('\n', ' ');
    return bytes;
}

} // namespace

QByteArray SseWriter::event(const QString &type, const QString &data, const QString &id)
{
    QByteArray out;
    if (!id.isEmpty())
        out += "id: " + oneLine(id) + '\n';
    out += "event: " + oneLine(type) + '\n';
    static const QRegularExpression lineBreak(QStringLiteral("\r\n|\r|\n"));
    const QStringList lines = data.split(lineBreak);
    for (const QString &line : lines)
        out += "data: " + line.toUtf8() + '\n';
    out += '\n';
    return out;
}

QByteArray SseWriter::comment(const QString &text)
{
    return ": " + oneLine(text) + "\n\n";
}
