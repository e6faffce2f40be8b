#include "linearsvm.h"

#include "ailogging.h"
#include "liblinearoutput.h"

#include <linear.h>

namespace {

constexpr std::size_t kCategories = kAllCategories.size();

struct ModelDeleter
{
    void operator()(model *trained) const { free_and_destroy_model(&trained); }
};

} // namespace

LinearSvm::LinearSvm(const std::vector<TfidfVectorizer::Vector> &rows, std::vector<Category> labels,
                     int featureCount)
    : m_labels(std::move(labels))
    , m_featureCount(featureCount)
{
    Q_ASSERT(rows.size() == m_labels.size());
    std::size_t total = 0;
    for (const TfidfVectorizer::Vector &row : rows)
        total += row.size() + 2;
    m_nodes = std::make_unique<feature_node[]>(total);
    m_rowStarts.reserve(rows.size());
    std::size_t next = 0;
    for (const TfidfVectorizer::Vector &row : rows) {
        m_rowStarts.push_back(next);
        for (const TfidfVectorizer::Feature &feature : row)
            m_nodes[next++] = {feature.index + 1, feature.value}; // liblinear counts from 1
        // The bias as one more feature that is always 1, as liblinear's own -B 1 does.
        m_nodes[next++] = {featureCount + 1, 1.0};
        m_nodes[next++] = {-1, 0.0};
    }
}

LinearSvm::~LinearSvm() = default;

LinearModel::Weights LinearSvm::train(const std::vector<int> &rowIndexes, double cost) const
{
    LiblinearOutput::silence();
    LinearModel::Weights weights;
    weights.featureCount = m_featureCount;
    weights.values.assign(std::size_t(m_featureCount) * kCategories, 0.0f);
    if (rowIndexes.empty())
        return weights;

    std::vector<double> y;
    std::vector<feature_node *> x;
    y.reserve(rowIndexes.size());
    x.reserve(rowIndexes.size());
    for (const int row : rowIndexes) {
        y.push_back(double(m_labels[std::size_t(row)]));
        x.push_back(&m_nodes[m_rowStarts[std::size_t(row)]]);
    }
    problem data{};
    data.l = int(rowIndexes.size());
    data.n = m_featureCount + 1;
    data.y = y.data();
    data.x = x.data();
    data.bias = 1.0;

    parameter settings{};
    settings.solver_type = L2R_L2LOSS_SVC;
    settings.eps = 0.01; // liblinear's default for this solver
    settings.C = cost;
    settings.p = 0.1;
    if (const char *problemText = check_parameter(&data, &settings)) {
        qCWarning(lcAi) << "liblinear refused its parameters:" << problemText;
        return weights;
    }
    const std::unique_ptr<model, ModelDeleter> trained(::train(&data, &settings));
    const int classes = trained->nr_class;
    // With a bias, liblinear keeps nr_feature + 1 rows: the last one is the bias's.
    const int rows = trained->nr_feature + 1;
    const auto weightOf = [&](int row, int column) {
        return trained
            ->w[std::size_t(row) * std::size_t(classes == 2 ? 1 : classes) + std::size_t(column)];
    };
    for (int i = 0; i < classes; ++i) {
        const auto category = std::size_t(trained->label[i]);
        weights.known[category] = true;
        if (classes < 2)
            continue; // one category only: it is always the answer, from its bias of 0
        // Two classes share one weight vector, positive for the first label.
        const int column = classes == 2 ? 0 : i;
        const double sign = classes == 2 && i == 1 ? -1.0 : 1.0;
        for (int row = 0; row < m_featureCount && row < rows - 1; ++row) {
            weights.values[std::size_t(row) * kCategories + category] =
                float(sign * weightOf(row, column));
        }
        weights.bias[category] = sign * weightOf(rows - 1, column);
    }
    return weights;
}
