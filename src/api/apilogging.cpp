#include "apilogging.h"

Q_LOGGING_CATEGORY(lcApi, "supportconsole.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApiRequests, "supportconsole.api.requests", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApiAbuse, "supportconsole.api.abuse", QtInfoMsg)
