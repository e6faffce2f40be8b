#include "modelscommand.h"

#include "database.h"
#include "learnedmodelstore.h"
#include "storageerror.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTextStream>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ModelsCommand", text);
}

QString accuracyText(const std::optional<double> &accuracy)
{
    return accuracy ? QString::number(*accuracy, 'f', 3) : QStringLiteral("-");
}

void list(const LearnedModelStore &store, QTextStream &out)
{
    const QList<LearnedModelStore::Summary> models = store.list();
    if (models.isEmpty()) {
        out << tr("No trained models yet: the built-in rules classify. Run support-console train "
                  "once agents have confirmed or corrected categories.")
            << Qt::endl;
        return;
    }
    const QString row = QStringLiteral("%1  %2  %3  %4  %5  %6  %7");
    out << row.arg(tr("ID"), 6)
               .arg(tr("MODEL"), -28)
               .arg(tr("TRAINED"), -24)
               .arg(tr("TICKETS"), 8)
               .arg(tr("ACCURACY"), 8)
               .arg(tr("RULES"), 6)
               .arg(tr("STATE"))
        << Qt::endl;
    for (const LearnedModelStore::Summary &model : models) {
        const QString state = model.pinned   ? tr("active, pinned")
                              : model.active ? tr("active")
                                             : QString();
        out << row.arg(model.id, 6)
                   .arg(model.name, -28)
                   .arg(Timestamps::toIso(model.createdAt), -24)
                   .arg(model.trainingSize, 8)
                   .arg(accuracyText(model.accuracy), 8)
                   .arg(accuracyText(model.rulesAccuracy), 6)
                   .arg(state)
            << Qt::endl;
    }
}

} // namespace

int ModelsCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString &action = commandLine.adminAction;
    const Database database(commandLine.database);
    int exitCode = 0;
    try {
        database.migrate();
        const LearnedModelStore store(database);
        if (action == QLatin1String("list")) {
            list(store, out);
        } else if (action == QLatin1String("activate")) {
            const qint64 id = commandLine.adminName.toLongLong();
            if (store.activate(id)) {
                const std::optional<LearnedModelStore::Summary> active = store.active();
                if (active && active->pinned) {
                    out << tr("Model %1 (%2) is in use and pinned; nothing changed.")
                               .arg(id)
                               .arg(active->name)
                        << Qt::endl;
                } else {
                    out << tr("Model %1 (%2) is in use; every node switches to it within a "
                              "second. The next training (by hand, or in the background after "
                              "new verdicts) replaces it with any model that beats the rules: "
                              "pin it to keep it.")
                               .arg(id)
                               .arg(active ? active->name : QString())
                        << Qt::endl;
                }
            } else {
                err << tr("support-console: there is no trained model with id %1; see "
                          "support-console models list.")
                           .arg(id)
                    << Qt::endl;
                exitCode = 1;
            }
        } else {
            const bool pin = action == QLatin1String("pin");
            const std::optional<LearnedModelStore::Summary> active = store.active();
            if (!active || !store.setPinned(pin)) {
                err << tr("support-console: no trained model is in use; the built-in rules "
                          "classify.")
                    << Qt::endl;
                exitCode = 1;
            } else if (pin) {
                out << tr("Pinned %1: train and background retraining keep it in use until "
                          "support-console models unpin.")
                           .arg(active->name)
                    << Qt::endl;
            } else {
                out << tr("Unpinned %1: the next training replaces it with any model that beats "
                          "the rules.")
                           .arg(active->name)
                    << Qt::endl;
            }
        }
    } catch (const StorageError &error) {
        err << tr("support-console: %1").arg(error.message()) << Qt::endl;
        exitCode = 1;
    }
    database.closeThreadConnection();
    return exitCode;
}
