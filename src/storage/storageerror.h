#pragma once

#include <QString>

#include <stdexcept>

// A database failure the caller cannot fix by changing its input (disk full, lost server, a
// newer schema). Thrown by storage and turned into a message at the program's edges.
class StorageError final : public std::runtime_error
{
public:
    explicit StorageError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {}

    QString message() const { return m_message; }

private:
    QString m_message;
};
