#pragma once

#include "commandline.h"

// `support-console train`: trains the learned local model on the database's labelled tickets,
// reports its held-out scores, and keeps it beside the database if it is at least as good as
// the model already there.
class TrainCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
