#include "sqlscript.h"

#include <QRegularExpression>

namespace {

bool startsWordAt(const QString &text, qsizetype i, QLatin1String word)
{
    if (i > 0 && (text.at(i - 1).isLetterOrNumber() || text.at(i - 1) == u'_'))
        return false;
    if (QStringView(text).mid(i, word.size()).compare(word, Qt::CaseInsensitive) != 0)
        return false;
    const qsizetype end = i + word.size();
    return end >= text.size() || !(text.at(end).isLetterOrNumber() || text.at(end) == u'_');
}

} // namespace

QStringList SqlScript::split(const QString &script)
{
    static const QRegularExpression triggerStart(
        QStringLiteral("^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"),
        QRegularExpression::CaseInsensitiveOption);

    QStringList statements;
    QString current;
    int blockDepth = 0; // BEGIN ... END nesting inside an SQLite trigger body
    const qsizetype n = script.size();

    auto finishStatement = [&] {
        const QString statement = current.trimmed();
        if (!statement.isEmpty())
            statements.append(statement);
        current.clear();
        blockDepth = 0;
    };

    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = script.at(i);
        if (c == u'-' && i + 1 < n && script.at(i + 1) == u'-') {
            const qsizetype end = script.indexOf(u'\n', i);
            i = end < 0 ? n : end;
            current.append(u'\n');
            continue;
        }
        if (c == u'\'' || c == u'"') {
            qsizetype end = i + 1;
            while (end < n) {
                if (script.at(end) == c) {
                    if (end + 1 < n && script.at(end + 1) == c) {
                        end += 2;
                        continue;
                    }
                    break;
                }
                ++end;
            }
            current.append(QStringView(script).mid(i, end - i + 1));
            i = end;
            continue;
        }
        if (c == u'$') {
            static const QRegularExpression tag(QStringLiteral("\\$[A-Za-z_]*\\$"));
            const QRegularExpressionMatch match =
                tag.match(script, i, QRegularExpression::NormalMatch,
                          QRegularExpression::AnchorAtOffsetMatchOption);
            if (match.hasMatch()) {
                const qsizetype close =
                    script.indexOf(match.captured(), i + match.capturedLength());
                const qsizetype end = close < 0 ? n : close + match.capturedLength();
                current.append(QStringView(script).mid(i, end - i));
                i = end - 1;
                continue;
            }
        }
        const bool opensBlock = startsWordAt(script, i, QLatin1String("BEGIN")) ||
                                startsWordAt(script, i, QLatin1String("CASE"));
        const bool closesBlock = startsWordAt(script, i, QLatin1String("END"));
        if ((opensBlock || closesBlock) && triggerStart.match(current).hasMatch()) {
            if (opensBlock)
                ++blockDepth;
            else if (blockDepth > 0)
                --blockDepth;
        }
        if (c == u';' && blockDepth == 0) {
            finishStatement();
            continue;
        }
        current.append(c);
    }
    finishStatement();
    return statements;
}
