#pragma once

#include "trainingexample.h"

#include <QList>
#include <QString>

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
};
