#pragma once

#include "linearmodel.h"

#include <memory>
#include <vector>

struct feature_node;

// Trains linear-model weights with Debian's liblinear: an L2-regularised, L2-loss linear SVM
// solved in the primal (liblinear's solver 2), one category against the rest. That solver is
// deterministic (the dual ones shuffle with rand()) and quick on sparse text. The rows are
// converted to liblinear's form once, so cross-validation folds and costs reuse them.
// train() may run on several threads at once.
class LinearSvm final
{
public:
    LinearSvm(const std::vector<TfidfVectorizer::Vector> &rows, std::vector<Category> labels,
              int featureCount);
    ~LinearSvm();
    Q_DISABLE_COPY_MOVE(LinearSvm)

    // Trains on the rows named by index with the cost C (the inverse of the regularisation).
    LinearModel::Weights train(const std::vector<int> &rowIndexes, double cost) const;
    int rowCount() const { return int(m_labels.size()); }

private:
    // Every row's nodes one after another, each row ended by a bias node and liblinear's
    // terminator.
    std::unique_ptr<feature_node[]> m_nodes;
    std::vector<std::size_t> m_rowStarts;
    std::vector<Category> m_labels;
    int m_featureCount;
};
