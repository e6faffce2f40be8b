#pragma once

#include "classificationmetrics.h"
#include "linearmodel.h"
#include "trainingset.h"

#include <stop_token>
#include <vector>

// Trains a LinearModel on every labelled ticket, and says how well that recipe does on tickets
// it has not seen: each ticket is predicted by the model trained without its cross-validation
// fold (out of fold). Those predictions choose the cost C from a short list, fit the confidence
// calibration (cross-fitting: the calibration is fitted on model outputs for tickets those
// models did not train on), and are what the gate compares with other classifiers. The
// vocabulary and IDF are taken from every ticket's text, without labels; only labels stay inside
// the folds. Deterministic; folds train in parallel.
class LinearModelTrainer final
{
public:
    struct Options
    {
        int folds = 5;
        // Ascending; the first of equally accurate costs wins (the most regularised model).
        std::vector<double> costs{0.1, 0.25, 0.5, 1.0};
        // With more tickets than this, the cost is chosen on this many (the first in key order,
        // a random sample), and only the chosen cost is cross-validated on them all: a choice
        // among four costs needs no 100,000 tickets, and it saves three quarters of the work.
        qsizetype costSearchTickets = 20'000;
        TfidfVectorizer::Options vectorizer;
        // Folds trained at once; 0 for one per core.
        int threads = 0;
        // Looked at before each SVM training (a few seconds at most, at 100,000 tickets): train()
        // then throws TrainingCancelled.
        std::stop_token stop;
    };

    struct Result
    {
        LinearModel model;
        double cost = 0.0;
        // Per entry of the training set, in its order: the out-of-fold category and its
        // confidence, calibrated by a calibration fitted on the other folds only.
        std::vector<Category> outOfFold;
        std::vector<double> outOfFoldConfidence;
        ClassificationMetrics crossValidated;
        // Out-of-fold accuracy of each cost tried, in Options::costs order, on the tickets the
        // cost was chosen on.
        std::vector<double> costAccuracy;
        qsizetype costSearchTickets = 0;
    };

    LinearModelTrainer();
    explicit LinearModelTrainer(Options options);

    // The set must have at least one ticket per fold. Throws TrainingCancelled.
    Result train(const TrainingSet &set) const;

private:
    Options m_options;
};
