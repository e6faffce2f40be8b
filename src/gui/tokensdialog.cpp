#include "tokensdialog.h"

#include "adminlistpanel.h"
#include "integrationtokens.h"
#include "newtokendialog.h"
#include "onetimesecretdialog.h"
#include "storagethread.h"
#include "tokenlistmodel.h"
#include "ui_tokensdialog.h"

#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

TokensDialog::TokensDialog(StorageThread &store, const Database &database, TokenVerifier *verifier,
                           const Actor &actor, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::TokensDialog>())
    , m_store(store)
    , m_database(database)
    , m_verifier(verifier)
    , m_actor(actor)
    , m_model(new TokenListModel(this))
{
    m_ui->setupUi(this);
    QTableView *table = m_ui->tokensTableView;
    m_list = new AdminListPanel(table, m_model, TokenListModel::RawValueRole,
                                TokenListModel::ScopesColumn, m_ui->messageLabel, m_store, this);
    // Live tokens first, then by name: what an admin looks for is what still opens the API.
    table->sortByColumn(TokenListModel::NameColumn, Qt::AscendingOrder);
    table->sortByColumn(TokenListModel::StateColumn, Qt::AscendingOrder);

    connect(m_ui->createPushButton, &QPushButton::clicked, this, &TokensDialog::createToken);
    connect(m_ui->revokePushButton, &QPushButton::clicked, this, &TokensDialog::confirmRevoke);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TokensDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TokensDialog::updateButtons);
    updateButtons();
    reload();
}

TokensDialog::~TokensDialog() = default;

void TokensDialog::reload()
{
    const int read = m_list->readStarted();
    m_store
        .run([database = &m_database](TicketSession &) {
            return IntegrationTokens(*database).list();
        })
        .then(this, [this, read](const std::optional<QList<IntegrationToken>> &tokens) {
            m_list->callFinished();
            // A later read's list is the one to show; only the buttons learn the call ended.
            if (!m_list->isLatestRead(read)) {
                updateButtons();
                return;
            }
            if (!tokens) {
                m_list->showMessage(
                    tr("The tokens could not be read: %1").arg(m_list->storageProblem()), true);
                return;
            }
            m_model->replaceRows(*tokens);
            updateButtons();
        });
}

void TokensDialog::createToken()
{
    auto *form = new NewTokenDialog(this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &NewTokenDialog::submitted, this, [this, form] { submitToken(form); });
    form->open();
}

void TokensDialog::submitToken(NewTokenDialog *form)
{
    using Created = IntegrationTokens::Created;
    m_list->changeStarted();
    updateButtons();
    const QString name = form->name();
    m_store
        .run([database = &m_database, verifier = m_verifier, name, scopes = form->scopes(),
              days = form->expiresInDays(), actor = m_actor](TicketSession &) {
            return IntegrationTokens(*database, verifier).create(name, scopes, days, actor);
        })
        .then(this, [this, name, form = QPointer<NewTokenDialog>(form)](
                        const std::optional<std::variant<Created, QString>> &created) {
            m_list->callFinished();
            updateButtons();
            if (!m_list->settleForm(created, form.data()))
                return;
            // Shown even if the form was closed meanwhile: this is the secret's only showing.
            auto *secret = new OneTimeSecretDialog(
                tr("API Token Created"), tr("Created the token %1. Its secret:").arg(name),
                std::get<Created>(*created).secret,
                tr("Copy the secret now: Support Console keeps only its digest, so it will not "
                   "be shown again. A system sends it as \"Authorization: Bearer <secret>\". If "
                   "it is lost, revoke the token and create another."),
                this);
            secret->setAttribute(Qt::WA_DeleteOnClose);
            secret->open();
            m_list->showMessage(tr("Created the token %1.").arg(name), false);
            reload();
            Q_EMIT tokenCreated(name);
        });
}

void TokensDialog::confirmRevoke()
{
    const IntegrationToken *token = selectedToken();
    if (!token)
        return;
    const QString name = token->name;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Revoke Token"),
                                tr("Revoke the token %1? Every system that uses it is refused "
                                   "from now on, and it cannot be made valid again.")
                                    .arg(name),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("revokeMessageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *revokeButton = box->addButton(tr("&Revoke"), QMessageBox::DestructiveRole);
    revokeButton->setObjectName(QStringLiteral("confirmRevokePushButton"));
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    connect(box, &QMessageBox::finished, this, [this, box, revokeButton, name] {
        if (box->clickedButton() == revokeButton)
            revoke(name);
    });
    box->open();
}

void TokensDialog::revoke(const QString &name)
{
    m_list->changeStarted();
    updateButtons();
    m_store
        .run([database = &m_database, verifier = m_verifier, name,
              actor = m_actor](TicketSession &) {
            return IntegrationTokens(*database, verifier).revoke(name, actor);
        })
        .then(this, [this, name](std::optional<bool> revoked) {
            m_list->callFinished();
            updateButtons();
            if (!revoked)
                m_list->showMessage(
                    tr("The database did not answer: %1").arg(m_list->storageProblem()), true);
            else if (!*revoked)
                m_list->showMessage(tr("The token %1 was no longer live.").arg(name), true);
            else
                m_list->showMessage(tr("Revoked the token %1.").arg(name), false);
            reload();
            if (revoked && *revoked)
                Q_EMIT tokenRevoked(name);
        });
}

const IntegrationToken *TokensDialog::selectedToken() const
{
    return m_model->rowAt(m_list->selectedRow());
}

void TokensDialog::updateButtons()
{
    const IntegrationToken *token = selectedToken();
    const bool idle = m_list->idle();
    m_ui->createPushButton->setEnabled(idle);
    m_ui->revokePushButton->setEnabled(idle && token &&
                                       token->isLive(QDateTime::currentDateTimeUtc()));
}
