#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

// A throwaway PostgreSQL server on a Unix socket only, handing out one fresh database per test.
class PostgresServer final
{
public:
    // Runs initdb in a fresh temporary folder and starts a server there; check isRunning().
    // The server is stopped and the folder removed when this object goes.
    PostgresServer();
    // Uses the server already listening in socketDirectory (the CTest fixture's) and leaves it
    // running when this object goes.
    explicit PostgresServer(const QString &socketDirectory);
    ~PostgresServer();
    Q_DISABLE_COPY_MOVE(PostgresServer)

    // The server this test process uses: the CTest fixture's when SUPPORT_CONSOLE_TEST_POSTGRES
    // names its socket folder, otherwise one started on first use and stopped when the
    // application object goes.
    static PostgresServer &shared();

    bool isRunning() const { return m_error.isEmpty(); }
    // What failed, with the end of the server's log.
    QString errorString() const { return m_error; }
    // Where the socket is: the host name libpq and QPSQL want.
    QString socketDirectory() const { return m_socketDirectory; }
    static QString userName() { return QStringLiteral("postgres"); }

    // A new empty UTF-8 database with a name no other test uses; empty with *error set if the
    // server refused.
    QString createDatabase(QString *error) const;
    // Drops the database even if connections to it are still open.
    bool dropDatabase(const QString &name, QString *error) const;

    // For the CTest fixture, whose server outlives each process: start a server in folder
    // (replacing whatever an earlier, interrupted run left there), or stop it and remove the
    // folder. Both return an empty string on success, otherwise what failed.
    static QString startIn(const QString &folder);
    static QString stopIn(const QString &folder);

private:
    void startWatchdog();
    bool execute(const QString &sql, QString *error) const;

    // Only when this object started the server.
    std::optional<QTemporaryDir> m_folder;
    std::unique_ptr<QProcess> m_watchdog;
    QString m_socketDirectory;
    QString m_error;
};
