#pragma once

#include "commandline.h"

// `support-console evaluate FILE.csv`: classifies a labelled CSV in the dataset format with one
// provider and reports accuracy, macro-F1, per-category scores, the confusion matrix,
// calibration and speed, so a team can compare models before switching.
class EvaluateCommand final
{
public:
    static int run(const CommandLine &commandLine);
};
