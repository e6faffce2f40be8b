#pragma once

#include <QLatin1String>

// Every key the JSON API reads or writes, so a typo is a compile error rather than a silent null.
namespace JsonKey {
inline constexpr QLatin1String id{"id"};
inline constexpr QLatin1String subject{"subject"};
inline constexpr QLatin1String body{"body"};
inline constexpr QLatin1String text{"text"};
inline constexpr QLatin1String form{"form"};
inline constexpr QLatin1String source{"source"};
inline constexpr QLatin1String status{"status"};
inline constexpr QLatin1String category{"category"};
inline constexpr QLatin1String createdAt{"created_at"};
inline constexpr QLatin1String updatedAt{"updated_at"};
inline constexpr QLatin1String dataset{"dataset"};
inline constexpr QLatin1String queue{"queue"};
inline constexpr QLatin1String priority{"priority"};
inline constexpr QLatin1String language{"language"};
inline constexpr QLatin1String answer{"answer"};
inline constexpr QLatin1String classification{"classification"};
inline constexpr QLatin1String confidence{"confidence"};
inline constexpr QLatin1String summary{"summary"};
inline constexpr QLatin1String model{"model"};
inline constexpr QLatin1String processingMs{"processing_ms"};
inline constexpr QLatin1String needsReview{"needs_review"};
inline constexpr QLatin1String provider{"provider"};
inline constexpr QLatin1String modelVersion{"model_version"};
inline constexpr QLatin1String fallback{"fallback"};
inline constexpr QLatin1String attempts{"attempts"};
inline constexpr QLatin1String failedAttempts{"failed_attempts"};
inline constexpr QLatin1String retryAt{"retry_at"};
inline constexpr QLatin1String items{"items"};
inline constexpr QLatin1String total{"total"};
inline constexpr QLatin1String nextCursor{"next_cursor"};
inline constexpr QLatin1String limit{"limit"};
inline constexpr QLatin1String days{"days"};
inline constexpr QLatin1String from{"from"};
inline constexpr QLatin1String to{"to"};
inline constexpr QLatin1String date{"date"};
inline constexpr QLatin1String byCategory{"by_category"};
inline constexpr QLatin1String perDay{"per_day"};
inline constexpr QLatin1String unclassified{"unclassified"};
inline constexpr QLatin1String corrections{"corrections"};
inline constexpr QLatin1String corrected{"corrected"};
inline constexpr QLatin1String confirmed{"confirmed"};
inline constexpr QLatin1String rate{"rate"};
inline constexpr QLatin1String bucketWidth{"bucket_width"};
inline constexpr QLatin1String backlog{"backlog"};
inline constexpr QLatin1String asOf{"as_of"};
inline constexpr QLatin1String byAge{"by_age"};
inline constexpr QLatin1String underHour{"under_1h"};
inline constexpr QLatin1String hourToDay{"1h_to_1d"};
inline constexpr QLatin1String dayToWeek{"1d_to_7d"};
inline constexpr QLatin1String overWeek{"over_7d"};
inline constexpr QLatin1String oldestAgeSeconds{"oldest_age_seconds"};
inline constexpr QLatin1String error{"error"};
inline constexpr QLatin1String code{"code"};
inline constexpr QLatin1String message{"message"};
inline constexpr QLatin1String details{"details"};
inline constexpr QLatin1String requiredScope{"required_scope"};
inline constexpr QLatin1String fields{"fields"};
inline constexpr QLatin1String parameter{"parameter"};
} // namespace JsonKey
