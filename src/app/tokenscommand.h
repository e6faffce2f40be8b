#pragma once

#include "commandline.h"

// support-console tokens create|list|revoke: the API's integration tokens. Returns the process
// exit code.
class TokensCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
