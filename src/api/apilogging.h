#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)
// One line per served request; silence with QT_LOGGING_RULES="supportconsole.api.requests=false".
Q_DECLARE_LOGGING_CATEGORY(lcApiRequests)
