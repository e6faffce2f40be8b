#pragma once

#include "commandline.h"

// `support-console import FILE.csv`: imports, shows progress on a terminal, prints a summary.
class ImportCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
