// The CTest fixture's helper: one PostgreSQL server for a whole test run, whose socket folder
// the tests find in SUPPORT_CONSOLE_TEST_POSTGRES.
//   sc_test_postgres start FOLDER   replace whatever is in FOLDER with a running server
//   sc_test_postgres stop FOLDER    stop it and remove FOLDER

#include "postgresserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    const QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    if (arguments.size() != 3 || (command != u"start"_s && command != u"stop"_s)) {
        QTextStream(stderr) << "usage: sc_test_postgres start|stop FOLDER" << Qt::endl;
        return 2;
    }
    const QString folder = arguments.at(2);
    QElapsedTimer timer;
    timer.start();
    const QString error =
        command == u"start"_s ? PostgresServer::startIn(folder) : PostgresServer::stopIn(folder);
    if (!error.isEmpty()) {
        QTextStream(stderr) << error << Qt::endl;
        return 1;
    }
    QTextStream(stdout) << "PostgreSQL test server in " << folder << ' '
                        << (command == u"start"_s ? "started" : "stopped") << " in "
                        << timer.elapsed() << " ms" << Qt::endl;
    return 0;
}
