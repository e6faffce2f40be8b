#include "servicelogging.h"

Q_LOGGING_CATEGORY(lcService, "supportconsole.service", QtInfoMsg)
