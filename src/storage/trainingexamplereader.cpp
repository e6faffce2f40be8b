#include "trainingexamplereader.h"

#include "categorymapping.h"
#include "database.h"
#include "storageerror.h"
#include "ticket.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

TrainingExampleReader::TrainingExampleReader(const Database &database)
    : m_database(database)
{}

QList<TrainingExample> TrainingExampleReader::read(const QString &language) const
{
    // The agent's newest row per ticket comes from the (ticket_id, id) index; the imported
    // tickets from their primary key. Agent-labelled tickets from the API or the window have
    // no language and are taken as they are: agents label the tickets the team works on.
    // Only people's verdicts teach: an integration's category is its own system's opinion,
    // which may be a rule of its own or another model, and is counted apart.
    QSqlQuery query(m_database.connection());
    query.setForwardOnly(true);
    query.prepare(u"SELECT t.form, t.subject, t.body, i.queue,"
                  "       (SELECT c.category FROM classifications c"
                  "        WHERE c.ticket_id = t.id AND c.provider = 'agent'"
                  "          AND COALESCE(c.actor_kind, '') <> 'integration'"
                  "        ORDER BY c.id DESC LIMIT 1)"
                  " FROM tickets t LEFT JOIN imported_tickets i ON i.ticket_id = t.id"
                  " WHERE i.language = :language"
                  "    OR EXISTS (SELECT 1 FROM classifications a"
                  "               WHERE a.ticket_id = t.id AND a.provider = 'agent'"
                  "                 AND COALESCE(a.actor_kind, '') <> 'integration')"
                  " ORDER BY t.id"_s);
    query.bindValue(u":language"_s, language);
    if (!query.exec()) {
        throw StorageError(QCoreApplication::translate("TrainingExampleReader",
                                                       "Cannot read the labelled tickets: %1")
                               .arg(query.lastError().text()));
    }
    QList<TrainingExample> examples;
    while (query.next()) {
        const TicketForm form =
            ticketFormFromName(query.value(0).toString()).value_or(TicketForm::Text);
        TrainingExample example;
        example.text = ticketText(form, query.value(1).toString(), query.value(2).toString());
        std::optional<Category> category;
        if (!query.isNull(4)) {
            category = categoryFromName(query.value(4).toString());
            example.fromAgent = category.has_value();
        }
        if (!category && !query.isNull(3))
            category = CategoryMapping::categoryForQueue(query.value(3).toString());
        if (!category)
            continue;
        example.category = *category;
        examples.append(example);
    }
    return examples;
}
