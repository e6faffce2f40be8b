#pragma once

#include "fasttextmodelinfo.h"
#include "trainingexample.h"

#include <QDateTime>
#include <QList>
#include <QString>

class Database;

// The learned model's test data: tests/fixtures/training-tickets.csv (180 short synthetic
// tickets, written by make-training-fixture.py), labelled through the queue mapping.
class TrainingFixture final
{
public:
    static QString path(const QString &file = QStringLiteral("training-tickets.csv"));
    static QList<TrainingExample>
    examples(const QString &file = QStringLiteral("training-tickets.csv"));
    // tests/fixtures/team-tickets.csv (300 tickets, make-team-fixture.py): categories that hang
    // on made-up product names, so the rules do no better than chance and a model beats them.
    static QList<TrainingExample> teamExamples()
    {
        return examples(QStringLiteral("team-tickets.csv"));
    }
    // Trains on the fixture and writes the model as v0.3 kept it beside the database file:
    // "<database>.fasttext.json" naming "<database>.fasttext-<version>.bin". Returns the
    // model's name, or an empty string with *error set.
    static QString writeVersion03Files(const QString &databasePath, QString *error);

    struct StoredFastTextModel
    {
        // 0 when nothing was stored.
        qint64 id = 0;
        FastTextModelInfo info;
    };
    // Trains fastText on the tickets (trained at now, the current time when null) and stores
    // the model as the database's active learned model, as v0.5 stored it: the model file's
    // bytes beside its metadata. The program still reads and classifies with such a model.
    // Returns id 0 with *error set when it could not.
    static StoredFastTextModel
    storeFastTextModel(const Database &database, QString *error,
                       const QList<TrainingExample> &tickets = examples(),
                       const QDateTime &now = QDateTime());
};
