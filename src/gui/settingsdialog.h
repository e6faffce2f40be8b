#pragma once

#include <QDialog>
#include <QHash>
#include <QSettings>
#include <QStringList>

#include <memory>

namespace Ui {
class SettingsDialog;
}

// The program's preferences (SettingsKeys): where and how the API listens (address, port, the
// paths of its TLS certificate and key), the remote AI provider, the review threshold and the
// database location. Never a secret. Only an admin sees the API and AI groups; everyone may say
// where their own console finds the database.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    // Shows what the settings hold, or what is in effect where they hold nothing.
    struct Current
    {
        QString bindAddress;
        quint16 port = 0;
        QString databasePath;
    };

    // administers: the signed-in user may change the API and AI settings.
    SettingsDialog(QSettings *settings, const Current &current, bool administers,
                   QWidget *parent = nullptr);
    ~SettingsDialog() override;
    Q_DISABLE_COPY_MOVE(SettingsDialog)

    // Checks and saves; stays open naming the problem when a value is unusable.
    void accept() override;
    // The keys whose values the last accept() changed.
    QStringList changedKeys() const { return m_changedKeys; }

private:
    std::unique_ptr<Ui::SettingsDialog> m_ui;
    QSettings *m_settings;
    const bool m_administers;
    QStringList m_changedKeys;
    // What the dialog showed when it opened, which a value must differ from to count as changed.
    QHash<QString, QString> m_shown;
};
