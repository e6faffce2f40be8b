#pragma once

#include <QLatin1String>
#include <QStringView>

#include <array>
#include <optional>

// How urgently a ticket needs an answer, as classifiers predict it.
enum class Priority { Low, Medium, High };

inline constexpr std::array<Priority, 3> kAllPriorities{Priority::Low, Priority::Medium,
                                                        Priority::High};

QLatin1String priorityName(Priority priority);
// Also reads the dataset's labels, where "critical" is the top of the scale.
std::optional<Priority> priorityFromName(QStringView name);
