#include "trainingset.h"

#include <QCryptographicHash>
#include <QHash>
#include <QtEndian>

#include <algorithm>
#include <array>

TrainingSet::TrainingSet(const QList<TrainingExample> &examples)
{
    using Votes = std::array<int, kAllCategories.size()>;
    struct Labels
    {
        QString text;
        Votes agent{};
        Votes queue{};
    };
    QHash<QString, qsizetype> byText;
    std::vector<Labels> labels;
    for (const TrainingExample &example : examples) {
        auto it = byText.constFind(example.text);
        if (it == byText.cend()) {
            it = byText.insert(example.text, qsizetype(labels.size()));
            labels.push_back({example.text, {}, {}});
        } else {
            ++m_duplicates;
        }
        Labels &entry = labels[std::size_t(*it)];
        ++(example.fromAgent ? entry.agent : entry.queue)[std::size_t(example.category)];
    }
    for (Labels &entry : labels) {
        const bool fromAgent = std::any_of(entry.agent.cbegin(), entry.agent.cend(),
                                           [](int votes) { return votes > 0; });
        const Votes &votes = fromAgent ? entry.agent : entry.queue;
        const auto top = std::max_element(votes.cbegin(), votes.cend());
        if (std::count(votes.cbegin(), votes.cend(), *top) > 1) {
            ++m_conflicts;
            continue;
        }
        const quint64 key = keyOf(entry.text);
        m_entries.push_back({key,
                             {std::move(entry.text),
                              kAllCategories[std::size_t(top - votes.cbegin())], fromAgent}});
    }
    std::sort(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) {
        return a.key != b.key ? a.key < b.key : a.example.text < b.example.text;
    });
}

quint64 TrainingSet::keyOf(QStringView text)
{
    const QByteArray digest = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    // Read as little-endian whatever the machine, so every platform splits the same way.
    return qFromLittleEndian<quint64>(digest.constData());
}
