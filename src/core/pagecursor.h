#pragma once

#include <QString>

#include <optional>

// Position after the last ticket of a page in newest-first order; opaque to API clients.
struct PageCursor
{
    qint64 createdAtMs = 0;
    qint64 id = 0;

    QString encode() const;
    static std::optional<PageCursor> decode(QStringView token);

    friend bool operator==(const PageCursor &, const PageCursor &) = default;
};
