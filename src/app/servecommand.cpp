#include "servecommand.h"

#include "apiservice.h"
#include "classificationservice.h"
#include "database.h"
#include "fasttextmodelstore.h"
#include "storageerror.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTextStream>

int ServeCommand::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const Database database(commandLine.database);
    try {
        database.migrate();
    } catch (const StorageError &error) {
        err << QCoreApplication::translate("ServeCommand", "support-console: %1")
                   .arg(error.message())
            << Qt::endl;
        return 1;
    }

    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, qApp,
                     &QCoreApplication::quit);

    QStringList settingsErrors;
    ClassificationOptions options = ClassificationOptions::fromSettings(
        QSettings(), QProcessEnvironment::systemEnvironment(), &settingsErrors);
    options.fastTextModelPath = FastTextModelStore(database.config().databaseName).metadataPath();
    for (const QString &settingsError : std::as_const(settingsErrors)) {
        err << QCoreApplication::translate("ServeCommand", "support-console: setting ignored: %1")
                   .arg(settingsError)
            << Qt::endl;
    }
    ClassificationService classification(database, options);
    classification.start();

    ApiService api(database, &classification);
    const quint16 port = api.start(commandLine.bindAddress, commandLine.port);
    if (port == 0) {
        err << QCoreApplication::translate("ServeCommand", "support-console: %1")
                   .arg(api.errorString())
            << Qt::endl;
        return 1;
    }
    // Scripts and tests read the port from this line when they asked for port 0.
    const QString host = commandLine.bindAddress.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + commandLine.bindAddress.toString() + u']'
                             : commandLine.bindAddress.toString();
    out << QCoreApplication::translate("ServeCommand",
                                       "Support Console API listening on http://%1:%2/")
               .arg(host)
               .arg(port)
        << Qt::endl;
    out << QCoreApplication::translate("ServeCommand", "Database: %1")
               .arg(commandLine.database.databaseName)
        << Qt::endl;

    const int exitCode = QCoreApplication::exec();
    api.stop();
    classification.stop();
    database.closeThreadConnection();
    out << QCoreApplication::translate("ServeCommand", "Stopped.") << Qt::endl;
    return exitCode;
}
