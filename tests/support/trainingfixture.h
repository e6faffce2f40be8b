#pragma once

#include "trainingexample.h"

#include <QList>
#include <QString>

// The learned model's test data: tests/fixtures/training-tickets.csv (180 short synthetic
// tickets, written by make-training-fixture.py), labelled through the queue mapping.
class TrainingFixture final
{
public:
    static QString path();
    static QList<TrainingExample> examples();
};
