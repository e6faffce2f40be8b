#pragma once

#include "commandline.h"
#include "trainingexample.h"

#include <QList>

#include <optional>

class Database;

// `support-console train`: trains the local model on the database's labelled tickets, reports
// its out-of-fold scores beside the rules', and puts it in use on every node only when it beats
// the rules (and an active model of another recipe), unless an admin pinned one.
class TrainCommand final
{
public:
    static int run(const CommandLine &commandLine);

    // The database's labelled tickets, its schema brought up to date first. Null once stderr
    // says why they could not be read; the calling thread's connection is closed then.
    static std::optional<QList<TrainingExample>> readLabelledTickets(const Database &database);
};
