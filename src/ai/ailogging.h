#pragma once

#include <QLoggingCategory>

// Classification: provider attempts, retries and circuit-breaker changes. Never ticket text.
Q_DECLARE_LOGGING_CATEGORY(lcAi)
