#include "postgresserver.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The server's socket keeps PostgreSQL's default port in its file name; nothing listens on TCP.
const QString kSocketFile = u".s.PGSQL.5432"_s;
constexpr int kToolTimeoutMs = 120'000;

PostgresServer *sharedServer = nullptr;

void stopSharedServer()
{
    delete sharedServer;
    sharedServer = nullptr;
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

QString dataFolder(const QString &folder)
{
    return QDir(folder).filePath(u"data"_s);
}

QString logFile(const QString &folder)
{
    return QDir(folder).filePath(u"server.log"_s);
}

// pg_config from libpq-dev names the server's binaries, but the client library can be newer than
// the installed server, so the guess is checked and Debian's versioned folders tried after it.
QString findBinaryFolder()
{
    QStringList candidates;
    QProcess pgConfig;
    pgConfig.start(u"pg_config"_s, {u"--bindir"_s});
    if (pgConfig.waitForFinished(10'000) && pgConfig.exitCode() == 0)
        candidates.append(QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed());
    QDir versions(u"/usr/lib/postgresql"_s);
    QStringList installed = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(installed.begin(), installed.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : std::as_const(installed))
        candidates.append(versions.filePath(version + u"/bin"_s));
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFileInfo(QDir(candidate).filePath(u"initdb"_s)).isExecutable())
            return candidate;
    }
    return {};
}

QString binaryFolder()
{
    static const QString folder = findBinaryFolder();
    return folder;
}

QString logTail(const QString &folder)
{
    QFile file(logFile(folder));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    if (lines.size() > 20)
        lines = lines.mid(lines.size() - 20);
    return u"\nServer log (%1), last lines:\n"_s.arg(logFile(folder)) + lines.join(u'\n');
}

// The server refuses to run as root, so root runs the tools as the package's postgres user.
QStringList asServerUser(const QStringList &command)
{
    if (!runningAsRoot())
        return command;
    // root's PATH may lack the sbin folders where util-linux puts runuser.
    const QString runuser = QStandardPaths::findExecutable(
        u"runuser"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s});
    return QStringList{runuser.isEmpty() ? u"runuser"_s : runuser, u"-u"_s,
                       PostgresServer::userName(), u"--"_s} +
           command;
}

// The folder is the working directory because the server's user may not be allowed into ours.
QString runTool(const QString &tool, const QStringList &arguments, const QString &folder)
{
    const QStringList command =
        asServerUser(QStringList{QDir(binaryFolder()).filePath(tool)} + arguments);
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProgram(command.constFirst());
    process.setArguments(command.mid(1));
    const QString commandLine = tool + u' ' + arguments.join(u' ');
    process.start();
    if (!process.waitForStarted())
        return u"Could not run %1: %2"_s.arg(process.program(), process.errorString());
    if (!process.waitForFinished(kToolTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return u"%1 did not finish within %2 s"_s.arg(commandLine).arg(kToolTimeoutMs / 1000);
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        return u"%1 failed (exit code %2):\n%3"_s.arg(commandLine)
            .arg(process.exitCode())
            .arg(QString::fromLocal8Bit(process.readAll()).trimmed());
    }
    return {};
}

// Only folders an earlier run of ours made are removed: the path comes from a command line.
bool looksLikeOurFolder(const QString &folder)
{
    const QDir dir(folder);
    return dir.isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot) ||
           QFileInfo::exists(dir.filePath(u"data/PG_VERSION"_s)) ||
           QFileInfo::exists(logFile(folder));
}

QString prepareFolder(const QString &folder)
{
    if (QFileInfo::exists(folder)) {
        if (!looksLikeOurFolder(folder))
            return u"%1 exists and is not a test server's folder; remove it yourself"_s.arg(folder);
        if (QFileInfo::exists(QDir(dataFolder(folder)).filePath(u"postmaster.pid"_s)))
            PostgresServer::stopIn(folder);
        if (!QDir(folder).removeRecursively())
            return u"Could not remove the old test server folder %1"_s.arg(folder);
    }
    // Trust authentication lets anyone who reaches the socket in as the superuser, so only the
    // server's user may enter the folder (root enters anyway).
    if (!QDir().mkpath(QFileInfo(folder).absolutePath()) ||
        !QDir().mkdir(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        return u"Could not create the test server folder %1"_s.arg(folder);
    }
    if (runningAsRoot()) {
        const passwd *user = ::getpwnam(PostgresServer::userName().toLocal8Bit().constData());
        if (!user) {
            return u"Running as root, which PostgreSQL refuses, and there is no \"%1\" user to "
                   "run it as: install the postgresql package"_s.arg(PostgresServer::userName());
        }
        if (::chown(QFile::encodeName(folder).constData(), user->pw_uid, user->pw_gid) != 0)
            return u"Could not hand %1 to the %2 user"_s.arg(folder, PostgresServer::userName());
    }
    return {};
}

QString shellQuoted(QString text)
{
    return u'\'' + text.replace(u'\'', u"'\\''"_s) + u'\'';
}

} // namespace

PostgresServer::PostgresServer()
{
    m_folder.emplace(QDir::temp().filePath(u"sc-postgres-XXXXXX"_s));
    if (!m_folder->isValid()) {
        m_error = u"Could not create a temporary folder: %1"_s.arg(m_folder->errorString());
        return;
    }
    m_socketDirectory = m_folder->path();
    m_error = startIn(m_socketDirectory);
    if (isRunning())
        startWatchdog();
}

PostgresServer::PostgresServer(const QString &socketDirectory)
    : m_socketDirectory(socketDirectory)
{
    if (!QFileInfo::exists(QDir(socketDirectory).filePath(kSocketFile))) {
        m_error = u"No PostgreSQL server is listening in %1 (did the CTest fixture "
                  "postgres_server_start run?)"_s.arg(socketDirectory);
    }
}

PostgresServer::~PostgresServer()
{
    if (m_folder && m_folder->isValid()) {
        const QString error = stopIn(m_folder->path());
        if (!error.isEmpty())
            qWarning().noquote() << error;
    }
    if (m_watchdog) {
        // Finds the server gone and the folder removed, and ends.
        m_watchdog->closeWriteChannel();
        m_watchdog->waitForFinished(kToolTimeoutMs);
    }
}

void PostgresServer::startWatchdog()
{
    // pg_ctl detaches the server, so a test that crashes or throws past QTest would leave it
    // running. The watchdog waits for the end of its input, which comes when this process ends
    // however it ends, and then stops the server and removes the folder.
    const QStringList script = {
        u"-c"_s,
        u"cat >/dev/null; \"$0\" -D \"$1\" -m immediate -w stop >/dev/null 2>&1; "
        "rm -rf \"$2\""_s,
        QDir(binaryFolder()).filePath(u"pg_ctl"_s), dataFolder(m_socketDirectory),
        m_socketDirectory};
    m_watchdog = std::make_unique<QProcess>();
    m_watchdog->setWorkingDirectory(m_socketDirectory);
    m_watchdog->setStandardOutputFile(QProcess::nullDevice());
    m_watchdog->setStandardErrorFile(QProcess::nullDevice());
    const QStringList command = asServerUser(QStringList{u"/bin/sh"_s} + script);
    m_watchdog->start(command.constFirst(), command.mid(1));
    if (!m_watchdog->waitForStarted())
        qWarning("The PostgreSQL test server's watchdog did not start; a crash would leave it");
}

PostgresServer &PostgresServer::shared()
{
    static QMutex mutex;
    const QMutexLocker lock(&mutex);
    if (!sharedServer) {
        const QString fixture = qEnvironmentVariable("SUPPORT_CONSOLE_TEST_POSTGRES");
        sharedServer = fixture.isEmpty() ? new PostgresServer : new PostgresServer(fixture);
        // A test's QCoreApplication outlives every test function, so the server does too.
        qAddPostRoutine(stopSharedServer);
    }
    return *sharedServer;
}

QString PostgresServer::createDatabase(QString *error) const
{
    static QAtomicInt counter;
    // The process id keeps parallel test processes apart; the random part keeps apart a process
    // that reuses the id of one that crashed before dropping its database.
    const QString name =
        u"sc_test_%1_%2_%3"_s.arg(QCoreApplication::applicationPid())
            .arg(counter.fetchAndAddRelaxed(1) + 1)
            .arg(QRandomGenerator::global()->bounded(0x10000), 4, 16, QLatin1Char('0'));
    // template0 rather than template1: it is the one that can be copied with another encoding.
    if (!execute(u"CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8'"_s.arg(name), error))
        return {};
    return name;
}

bool PostgresServer::dropDatabase(const QString &name, QString *error) const
{
    // FORCE ends the connections that storage threads of the test may still hold.
    return execute(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name), error);
}

bool PostgresServer::execute(const QString &sql, QString *error) const
{
    if (!isRunning()) {
        if (error)
            *error = m_error;
        return false;
    }
    static QAtomicInt connections;
    const QString connectionName =
        u"sc_postgres_admin_%1"_s.arg(connections.fetchAndAddRelaxed(1) + 1);
    QString failure;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
        db.setHostName(m_socketDirectory);
        db.setUserName(userName());
        db.setDatabaseName(u"postgres"_s);
        if (!db.open()) {
            failure = u"Could not connect to the test server in %1: %2"_s.arg(
                m_socketDirectory, db.lastError().text());
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                failure = u"%1 failed: %2"_s.arg(sql, query.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!failure.isEmpty() && error)
        *error = failure;
    return failure.isEmpty();
}

QString PostgresServer::startIn(const QString &folder)
{
    if (binaryFolder().isEmpty()) {
        return u"PostgreSQL's initdb is neither in pg_config --bindir nor in "
               "/usr/lib/postgresql/*/bin: install the postgresql package"_s;
    }
    if (const QString error = prepareFolder(folder); !error.isEmpty())
        return error;
    // Without an explicit encoding and locale initdb follows the environment, which here means
    // SQL_ASCII, and accented text would not survive. -N: a throwaway cluster needs no fsync.
    if (const QString error =
            runTool(u"initdb"_s,
                    {u"-D"_s, dataFolder(folder), u"-E"_s, u"UTF8"_s, u"--locale=C.UTF-8"_s,
                     u"--auth=trust"_s, u"-U"_s, userName(), u"-N"_s},
                    folder);
        !error.isEmpty()) {
        return error;
    }
    // pg_ctl hands -o to /bin/sh, hence the shell quoting. Durability costs time and buys nothing
    // for a server that is deleted afterwards; parallel tests each hold a few connections.
    const QString options =
        u"-c listen_addresses='' -c unix_socket_directories=%1 -c unix_socket_permissions=0700 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=200"_s.arg(shellQuoted(folder));
    if (const QString error = runTool(u"pg_ctl"_s,
                                      {u"-D"_s, dataFolder(folder), u"-l"_s, logFile(folder),
                                       u"-w"_s, u"-t"_s, u"60"_s, u"-o"_s, options, u"start"_s},
                                      folder);
        !error.isEmpty()) {
        return error + logTail(folder);
    }
    return {};
}

QString PostgresServer::stopIn(const QString &folder)
{
    if (!QFileInfo::exists(folder))
        return {};
    if (!looksLikeOurFolder(folder))
        return u"%1 is not a test server's folder; left alone"_s.arg(folder);
    if (QFileInfo::exists(QDir(dataFolder(folder)).filePath(u"postmaster.pid"_s))) {
        // Immediate: nothing in the cluster is worth a shutdown checkpoint.
        if (const QString error = runTool(
                u"pg_ctl"_s,
                {u"-D"_s, dataFolder(folder), u"-m"_s, u"immediate"_s, u"-w"_s, u"stop"_s}, folder);
            !error.isEmpty()) {
            return error + logTail(folder);
        }
    }
    if (!QDir(folder).removeRecursively())
        return u"Could not remove the test server folder %1"_s.arg(folder);
    return {};
}
