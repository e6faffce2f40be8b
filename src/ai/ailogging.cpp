#include "ailogging.h"

Q_LOGGING_CATEGORY(lcAi, "supportconsole.ai", QtInfoMsg)
