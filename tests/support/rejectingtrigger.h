#pragma once

#include <QString>

class Database;

// Makes the database refuse new tickets with one body, as a full disk or a broken constraint
// would, so tests can see one failure stay alone and what the user is told.
class RejectingTrigger final
{
public:
    // Returns false with *error set when the trigger could not be made.
    static bool install(const Database &database, const QString &body, const QString &message,
                        QString *error);
};
