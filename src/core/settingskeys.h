#pragma once

#include <QLatin1StringView>

// Every key the program keeps in QSettings, in one table: the window's settings dialog writes
// them, the server and the classifier read them. Secrets never go here (API keys come from the
// environment only).
namespace SettingsKeys {
inline constexpr QLatin1StringView apiBindAddress{"api/bind_address"};
inline constexpr QLatin1StringView apiPort{"api/port"};
inline constexpr QLatin1StringView apiAllowedHosts{"api/allowed_hosts"};
inline constexpr QLatin1StringView apiTrustedProxies{"api/trusted_proxies"};
inline constexpr QLatin1StringView apiCorsOrigins{"api/cors_origins"};
// Paths of the PEM files the API serves HTTPS with; never the key itself.
inline constexpr QLatin1StringView apiTlsCertificate{"api/tls_certificate"};
inline constexpr QLatin1StringView apiTlsKey{"api/tls_key"};
// Plain HTTP on an address other computers can reach, which the API otherwise refuses.
inline constexpr QLatin1StringView apiAllowInsecureHttp{"api/allow_insecure_http"};
// The API's limits on its clients; absent keys keep the defaults README lists.
inline constexpr QLatin1StringView apiMaxConnections{"api/max_connections"};
inline constexpr QLatin1StringView apiMaxConnectionsPerAddress{"api/max_connections_per_address"};
inline constexpr QLatin1StringView apiHeaderTimeoutSeconds{"api/header_timeout_seconds"};
inline constexpr QLatin1StringView apiBodyTimeoutSeconds{"api/body_timeout_seconds"};
inline constexpr QLatin1StringView apiIdleTimeoutSeconds{"api/idle_timeout_seconds"};
inline constexpr QLatin1StringView apiMaxUrlBytes{"api/max_url_bytes"};
inline constexpr QLatin1StringView apiMaxHeaderBytes{"api/max_header_bytes"};
inline constexpr QLatin1StringView apiMaxHeaders{"api/max_headers"};
inline constexpr QLatin1StringView apiMaxBodyBytes{"api/max_body_bytes"};
inline constexpr QLatin1StringView databasePath{"database/path"};
inline constexpr QLatin1StringView aiProviders{"ai/providers"};
inline constexpr QLatin1StringView aiReviewThreshold{"ai/review_threshold"};
inline constexpr QLatin1StringView aiRetrainAfterVerdicts{"ai/retrain_after_verdicts"};
inline constexpr QLatin1StringView aiLocalOnlyCategories{"ai/local_only_categories"};
inline constexpr QLatin1StringView aiUrl{"ai/url"};
inline constexpr QLatin1StringView aiModel{"ai/model"};
} // namespace SettingsKeys
