#pragma once

#include "secretbox.h"

#include <QCoreApplication>
#include <QLatin1StringView>
#include <QMutex>
#include <QString>

#include <optional>

class QProcessEnvironment;

// The key that seals the secrets the program keeps for itself (webhooks' signing secrets), kept
// outside the database: SUPPORT_CONSOLE_SECRETS_KEY (base64 of 32 bytes) if set, else the file
// SUPPORT_CONSOLE_SECRETS_KEY_FILE names, else "secrets.key" in the program's data folder. A
// missing file is made, readable by its owner only, the first time a secret is sealed; never
// just to open one. Nodes that share a database must share the key. Thread-safe.
class SecretsKey final
{
    Q_DECLARE_TR_FUNCTIONS(SecretsKey)

public:
    static constexpr QLatin1StringView kKeyVariable{"SUPPORT_CONSOLE_SECRETS_KEY"};
    static constexpr QLatin1StringView kFileVariable{"SUPPORT_CONSOLE_SECRETS_KEY_FILE"};

    // defaultFile: where the key is without either variable.
    SecretsKey(const QProcessEnvironment &environment, const QString &defaultFile);
    // The data folder's "secrets.key".
    static QString defaultFile();

    // The box to seal a new secret with, the key file made if there is none; nothing when the
    // key is unusable, and problem() says why.
    std::optional<SecretBox> forSealing();
    // The box to open sealed secrets with; nothing when there is no usable key (yet).
    std::optional<SecretBox> forOpening();
    QString problem() const;

private:
    std::optional<SecretBox> load(bool create);

    mutable QMutex m_mutex;
    QByteArray m_fromEnvironment;
    bool m_environmentSet = false;
    QString m_file;
    std::optional<SecretBox> m_box;
    QString m_problem;
};
