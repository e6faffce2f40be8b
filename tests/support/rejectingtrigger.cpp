#include "rejectingtrigger.h"

#include "database.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

bool RejectingTrigger::install(const Database &database, const QString &body,
                               const QString &message, QString *error)
{
    // Test data chosen by the test itself, so plain quoting is enough.
    const auto quoted = [](QString text) -> QString {
        text.replace(u'\'', u"''"_s);
        text.prepend(u'\'');
        text.append(u'\'');
        return text;
    };
    // The two databases write triggers differently; both raise with the message as their error.
    const bool postgres = database.config().driver == u"QPSQL"_s;
    const QStringList statements =
        postgres ? QStringList{u"CREATE FUNCTION reject_marked() RETURNS trigger LANGUAGE plpgsql "
                               "AS $$ BEGIN RAISE EXCEPTION %1; END; $$"_s.arg(quoted(message)),
                               u"CREATE TRIGGER reject_marked BEFORE INSERT ON tickets FOR EACH "
                               "ROW WHEN (NEW.body = %1) EXECUTE FUNCTION reject_marked()"_s.arg(
                                   quoted(body))}
                 : QStringList{u"CREATE TRIGGER reject_marked BEFORE INSERT ON tickets WHEN "
                               "NEW.body = %1 BEGIN SELECT RAISE(ABORT, %2); END"_s.arg(
                                   quoted(body), quoted(message))};
    QSqlQuery query(database.connection());
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}
