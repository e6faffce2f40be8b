#include "pagecursor.h"

#include <QByteArray>
#include <QList>

static constexpr auto kBase64Options =
    QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
static const QByteArray kVersionPrefix = QByteArrayLiteral("v1:");

QString PageCursor::encode() const
{
    const QByteArray plain =
        kVersionPrefix + QByteArray::number(createdAtMs) + ':' + QByteArray::number(id);
    return QString::fromLatin1(plain.toBase64(kBase64Options));
}

std::optional<PageCursor> PageCursor::decode(QStringView token)
{
    if (token.isEmpty() || token.size() > 64)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        token.toLatin1(), kBase64Options | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith(kVersionPrefix))
        return std::nullopt;
    const QList<QByteArray> parts = decoded.decoded.mid(kVersionPrefix.size()).split(':');
    if (parts.size() != 2)
        return std::nullopt;
    bool createdOk = false;
    bool idOk = false;
    PageCursor cursor{parts[0].toLongLong(&createdOk), parts[1].toLongLong(&idOk)};
    if (!createdOk || !idOk || cursor.id <= 0)
        return std::nullopt;
    return cursor;
}
