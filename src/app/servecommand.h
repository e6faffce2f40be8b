#pragma once

#include "commandline.h"

// Runs the HTTP API until SIGINT or SIGTERM. Returns the process exit code.
class ServeCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
