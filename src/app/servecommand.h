#pragma once

#include "commandline.h"

// Runs the HTTP API and the classifier until SIGINT or SIGTERM, or, for the console, until the
// window closes. Returns the process exit code.
class ServeCommand final
{
public:
    enum class Mode { Headless, Window };
    static int run(const CommandLine &commandLine, Mode mode);
};
