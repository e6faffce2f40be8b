#include "storagelogging.h"

Q_LOGGING_CATEGORY(lcStorage, "supportconsole.storage", QtInfoMsg)
