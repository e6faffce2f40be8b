#pragma once

#include "classification.h"

class Database;

// Stores a verdict on a ticket the way a classifier or an agent would, for tests that need
// tickets with a category, a confidence and a provider.
class TestClassifications final
{
public:
    static qint64 add(const Database &database, qint64 ticketId, Category category,
                      ClassificationProvider provider, double confidence);
};
