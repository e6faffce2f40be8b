#include "linearmodeltrainer.h"

#include "linearsvm.h"
#include "textngrams.h"
#include "trainingcancelled.h"

#include <QtConcurrent/QtConcurrentMap>
#include <QThread>
#include <QThreadPool>

#include <numeric>

LinearModelTrainer::LinearModelTrainer()
    : LinearModelTrainer(Options())
{}

LinearModelTrainer::LinearModelTrainer(Options options)
    : m_options(std::move(options))
{}

LinearModelTrainer::Result LinearModelTrainer::train(const TrainingSet &set) const
{
    Q_ASSERT(m_options.folds >= 2 && !m_options.costs.empty());
    const std::vector<TrainingSet::Entry> &entries = set.entries();
    const std::size_t count = entries.size();

    TfidfVectorizer vectorizer;
    std::vector<TfidfVectorizer::Vector> rows(count);
    {
        std::vector<std::vector<quint64>> keys(count);
        for (std::size_t i = 0; i < count; ++i)
            TextNgrams::keys(entries[i].example.text, &keys[i]);
        vectorizer = TfidfVectorizer::fit(keys, m_options.vectorizer);
        for (std::size_t i = 0; i < count; ++i)
            vectorizer.transform(keys[i], &rows[i]);
    }
    std::vector<Category> labels;
    labels.reserve(count);
    for (const TrainingSet::Entry &entry : entries)
        labels.push_back(entry.example.category);
    const LinearSvm svm(rows, labels, vectorizer.size());

    const int folds = m_options.folds;
    // Rows below `limit` only, split into training and test rows per fold.
    struct Split
    {
        std::vector<std::vector<int>> training;
        std::vector<std::vector<int>> test;
    };
    const auto split = [&](std::size_t limit) {
        Split result{std::vector<std::vector<int>>(static_cast<std::size_t>(folds)),
                     std::vector<std::vector<int>>(static_cast<std::size_t>(folds))};
        for (std::size_t i = 0; i < limit; ++i) {
            const int fold = TrainingSet::foldOf(entries[i].key, folds);
            for (int other = 0; other < folds; ++other)
                (other == fold ? result.test : result.training)[std::size_t(other)].push_back(
                    int(i));
        }
        return result;
    };

    QThreadPool pool;
    pool.setMaxThreadCount(m_options.threads > 0 ? m_options.threads : QThread::idealThreadCount());
    std::vector<int> foldIndexes(static_cast<std::size_t>(folds));
    std::iota(foldIndexes.begin(), foldIndexes.end(), 0);
    const auto outOfFoldScores = [&](const Split &parts, double cost) {
        std::vector<LinearModel::Scores> scores(count);
        QtConcurrent::blockingMap(&pool, foldIndexes, [&](int fold) {
            if (m_options.stop.stop_requested())
                return;
            const LinearModel::Weights weights = svm.train(parts.training[std::size_t(fold)], cost);
            for (const int row : parts.test[std::size_t(fold)])
                scores[std::size_t(row)] = LinearModel::scores(weights, rows[std::size_t(row)]);
        });
        TrainingCancelled::throwIfRequested(m_options.stop);
        return scores;
    };
    const auto accuracyOf = [&](const std::vector<LinearModel::Scores> &scores, std::size_t limit) {
        qint64 right = 0;
        for (std::size_t i = 0; i < limit; ++i) {
            const auto probabilities = LinearModel::probabilities(scores[i]);
            right += ConfidenceCalibrator::topCategory(probabilities) == labels[i] ? 1 : 0;
        }
        return limit > 0 ? double(right) / double(limit) : 0.0;
    };

    Result result;
    const Split everything = split(count);
    // Entries are in key order, so the first ones are a random sample.
    const std::size_t searched = std::min(count, std::size_t(m_options.costSearchTickets));
    const Split searchSplit = searched < count ? split(searched) : everything;
    result.costSearchTickets = qsizetype(searched);
    std::vector<LinearModel::Scores> best;
    double bestAccuracy = -1.0;
    for (const double cost : m_options.costs) {
        std::vector<LinearModel::Scores> scores = outOfFoldScores(searchSplit, cost);
        const double accuracy = accuracyOf(scores, searched);
        result.costAccuracy.push_back(accuracy);
        if (accuracy > bestAccuracy) {
            bestAccuracy = accuracy;
            best = std::move(scores);
            result.cost = cost;
        }
    }
    if (searched < count)
        best = outOfFoldScores(everything, result.cost);
    const std::vector<std::vector<int>> &trainingRows = everything.training;
    const std::vector<std::vector<int>> &testRows = everything.test;

    std::vector<ConfidenceCalibrator::Sample> samples(count);
    for (std::size_t i = 0; i < count; ++i)
        samples[i] = {LinearModel::probabilities(best[i]), labels[i]};
    // Each fold's confidences come from a calibration fitted on the other folds' outputs, so
    // the calibration error reported is one the model earns, not one it was fitted to.
    result.outOfFold.resize(count);
    result.outOfFoldConfidence.resize(count);
    for (int fold = 0; fold < folds; ++fold) {
        std::vector<ConfidenceCalibrator::Sample> others;
        for (const int row : trainingRows[std::size_t(fold)])
            others.push_back(samples[std::size_t(row)]);
        const ConfidenceCalibrator calibrator = ConfidenceCalibrator::fit(others);
        for (const int row : testRows[std::size_t(fold)]) {
            const auto &sample = samples[std::size_t(row)];
            result.outOfFold[std::size_t(row)] =
                ConfidenceCalibrator::topCategory(sample.probabilities);
            result.outOfFoldConfidence[std::size_t(row)] =
                calibrator.confidence(sample.probabilities);
        }
    }
    for (std::size_t i = 0; i < count; ++i)
        result.crossValidated.add(labels[i], result.outOfFold[i], result.outOfFoldConfidence[i]);

    std::vector<int> everyRow(count);
    std::iota(everyRow.begin(), everyRow.end(), 0);
    TrainingCancelled::throwIfRequested(m_options.stop);
    LinearModel::Weights weights = svm.train(everyRow, result.cost);
    result.model =
        LinearModel(std::move(vectorizer), std::move(weights), ConfidenceCalibrator::fit(samples));
    return result;
}
