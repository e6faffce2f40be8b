#pragma once

#include <QLatin1String>
#include <QStringView>

#include <array>
#include <optional>
#include <utility>

// The one place that maps enums to their wire names (JSON, SQL, command line) and back.
template<typename Enum, std::size_t N>
using EnumNameTable = std::array<std::pair<Enum, QLatin1String>, N>;

template<typename Enum, std::size_t N>
QLatin1String enumName(const EnumNameTable<Enum, N> &table, Enum value)
{
    for (const auto &[entry, name] : table) {
        if (entry == value)
            return name;
    }
    Q_UNREACHABLE();
    return QLatin1String();
}

template<typename Enum, std::size_t N>
std::optional<Enum> enumFromName(const EnumNameTable<Enum, N> &table, QStringView name)
{
    for (const auto &[entry, entryName] : table) {
        if (name == entryName)
            return entry;
    }
    return std::nullopt;
}
