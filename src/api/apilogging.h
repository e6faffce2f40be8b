#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)
// One line per served request; silence with QT_LOGGING_RULES="supportconsole.api.requests=false".
Q_DECLARE_LOGGING_CATEGORY(lcApiRequests)
// Bans and the limits' own trouble (a full table), apart from the request lines so that an
// operator can route them to an alert.
Q_DECLARE_LOGGING_CATEGORY(lcApiAbuse)
