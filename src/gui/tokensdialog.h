#pragma once

#include "actor.h"

#include <QDialog>

#include <memory>

class AdminListPanel;
class Database;
class NewTokenDialog;
class StorageThread;
class TokenListModel;
class TokenVerifier;
struct IntegrationToken;

namespace Ui {
class TokensDialog;
}

// The admins' list of the API's integration tokens: name, scopes, creation, last use, expiry
// and state; making one (its secret shown once) and revoking one. Works through
// IntegrationTokens on a storage thread.
class TokensDialog final : public QDialog
{
    Q_OBJECT

public:
    // verifier: the running API's, so that a revoke is refused by this node at once; null when
    // no API runs here.
    TokensDialog(StorageThread &store, const Database &database, TokenVerifier *verifier,
                 const Actor &actor, QWidget *parent = nullptr);
    ~TokensDialog() override;
    Q_DISABLE_COPY_MOVE(TokensDialog)

    TokenListModel *model() const { return m_model; }

Q_SIGNALS:
    // A token was made and its secret is on screen.
    void tokenCreated(const QString &name);
    void tokenRevoked(const QString &name);

private:
    void reload();
    void createToken();
    void submitToken(NewTokenDialog *form);
    void confirmRevoke();
    void revoke(const QString &name);
    const IntegrationToken *selectedToken() const;
    void updateButtons();

    std::unique_ptr<Ui::TokensDialog> m_ui;
    StorageThread &m_store;
    const Database &m_database;
    TokenVerifier *m_verifier;
    const Actor m_actor;
    TokenListModel *m_model;
    AdminListPanel *m_list;
};
