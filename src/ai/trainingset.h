#pragma once

#include "trainingexample.h"

#include <QCoreApplication>
#include <QList>

#include <vector>

// The labelled tickets a model learns from, one per text, in an order that does not depend on
// the database's: agents' labels outrank queues' (an agent read the ticket), and within the
// stronger kind the majority label wins. A text whose copies are split evenly has no label to
// learn and is left out. Each ticket carries a stable key (from SHA-256 of its text) that
// places it in a cross-validation fold, the same on every machine and in every run.
class TrainingSet final
{
    Q_DECLARE_TR_FUNCTIONS(TrainingSet)

public:
    struct Entry
    {
        quint64 key = 0;
        TrainingExample example;
    };

    TrainingSet() = default;
    explicit TrainingSet(const QList<TrainingExample> &examples);

    // Sorted by key.
    const std::vector<Entry> &entries() const { return m_entries; }
    qsizetype size() const { return qsizetype(m_entries.size()); }
    // Copies of a text beyond the first, and texts left out because their copies' labels tie.
    qint64 duplicates() const { return m_duplicates; }
    qint64 conflicts() const { return m_conflicts; }

    static quint64 keyOf(QStringView text);
    // Which of `folds` folds a ticket belongs to: by the key's residue of 100, in ranges, so
    // five folds are the residue ranges FastTextTrainer holds out (0-19, 20-39, ...) and both
    // recipes can be scored on the same tickets.
    static int foldOf(quint64 key, int folds) { return int(key % 100 * quint64(folds) / 100); }

private:
    std::vector<Entry> m_entries;
    qint64 m_duplicates = 0;
    qint64 m_conflicts = 0;
};
