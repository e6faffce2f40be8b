#pragma once

#include <QSqlError>
#include <QString>

#include <stdexcept>

// A database failure the caller cannot fix by changing its input (disk full, lost server, a
// newer schema). Thrown by storage and turned into a message at the program's edges.
class StorageError final : public std::runtime_error
{
public:
    explicit StorageError(const QString &message, QSqlError cause = {})
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_cause(std::move(cause))
    {}

    QString message() const { return m_message; }
    // The database's own error behind this one, when a statement failed: what
    // SqlDialect::isRetryable() reads. NoError otherwise.
    const QSqlError &cause() const { return m_cause; }

private:
    QString m_message;
    QSqlError m_cause;
};
