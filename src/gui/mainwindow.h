#pragma once

#include "actor.h"
#include "category.h"
#include "replydrafter.h"
#include "ticket.h"
#include "ticketchange.h"
#include "ticketdetailwidget.h"
#include "ticketdraft.h"
#include "ticketorder.h"
#include "ticketquery.h"
#include "ticketsession.h"
#include "useraccount.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class ApiService;
class ClassificationService;
class QLabel;
class StatsView;
class StorageThread;
class TicketService;
class TicketTableModel;
class WebhookService;

namespace Ui {
class MainWindow;
}

// The agents' window: the ticket table with its filters, the selected ticket's detail, triage
// by keyboard, new tickets, the managers' statistics and the admins' users and tokens. It
// reads and writes through the ticket service's storage threads, so its own thread only paints
// and reacts. It belongs to one signed-in user: their role decides what it offers, and every
// change it makes is recorded as theirs.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    // user: who signed in (SignInDialog, or the desktop's owner on a one-person console).
    MainWindow(TicketService &tickets, const UserAccount &user, QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    // Optional services running beside the window, shown in the status bar.
    void setApi(ApiService *api, const QUrl &address, const QString &problem = QString());
    void setClassification(ClassificationService *classification);
    // Drafts replies with the remote model; without one, Draft Reply offers similar tickets'
    // replies. It must outlive the window.
    void setDrafter(ReplyDrafter *drafter);
    // Where admins manage webhooks (Admin > Webhooks); it must outlive the window.
    void setWebhooks(WebhookService *webhooks);

    TicketTableModel *ticketModel() const { return m_model; }
    const UserAccount &user() const { return m_user; }

Q_SIGNALS:
    // The agent saved these SettingsKeys; whoever runs the services applies what it can.
    void settingsChanged(const QStringList &keys);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setUpActions();
    // Takes away what the signed-in user's role does not allow: the menus, actions and tabs,
    // not merely their effect.
    void applyRole();
    bool allows(Permission permission) const { return roleAllows(m_user.role, permission); }
    void setUpFilters();
    // Whose tickets the table shows.
    enum class HolderFilter { Anyone, Mine, Nobody, MineOrNobody };
    void showHolders(HolderFilter holders);
    void restoreLayout();
    void saveLayout() const;

    TicketQuery currentFilter() const;
    void applyFilter();
    void refreshCounts();
    void refreshEverything();
    void showCurrentTicket();
    void updateStatusBar();

    struct RowSelection;
    RowSelection selectedRows() const;
    void moveCurrentRow(int delta);
    void acceptCategory();
    void setCategory(Category category);
    void setStatus(TicketStatus status);
    void sendReply(const QString &body, MessageVisibility visibility,
                   std::optional<TicketStatus> statusAfter, const std::optional<ReplyDraft> &draft);
    void draftReply();
    // An empty name gives the tickets to nobody.
    void assign(const QString &assignee);
    void afterVerdict(qint64 selectedRows);
    // The ticket on show, when an action is for it alone: then the action changes it only if
    // nobody else has since it was shown.
    std::optional<Ticket> soleShownTicket(const RowSelection &selection) const;
    void changeShownTicket(const Ticket &shown, const TicketChange &change);
    // Several tickets at once, or ones the pane does not show: applied to them as they are now.
    using BulkChange =
        std::function<TicketSession::Problem(TicketSession &, const QList<qint64> &)>;
    // assignee: whom the change gives the tickets to, if anyone, to name in a problem.
    void changeInBulk(const RowSelection &selection, BulkChange change,
                      const QString &assignee = QString());
    // Says why a change was not made, on the pane and in the status bar.
    void showChangeProblem(TicketSession::Problem problem, qint64 ticketId, const QString &assignee,
                           const QStringList &changedBy = {});
    // Whom tickets can be given to, read again after a while since others add users too.
    void loadAssignees();
    struct NewTicketForm
    {
        TicketDraft draft;
        std::optional<Category> category;
    };
    void newTicket();
    void openNewTicketForm(const std::optional<NewTicketForm> &restored);
    void editSettings();
    void manageUsers();
    void manageTokens();
    void manageWebhooks();
    void manageAutoResolve();
    void loadStats();
    void showStorageError(const QString &message);
    void showDatabaseAvailability(bool available, const QString &problem);

    std::unique_ptr<Ui::MainWindow> m_ui;
    TicketService &m_tickets;
    // Who signed in; without the password's hash, which the window has no use for.
    const UserAccount m_user;
    // Who the agent's verdicts and status changes are recorded as: the signed-in user.
    const Actor m_actor;
    StorageThread *m_store;
    // Counts and statistics on a second storage thread, so a slow count never holds up the table.
    StorageThread *m_summaryStore;
    TicketTableModel *m_model = nullptr;
    ApiService *m_api = nullptr;
    ClassificationService *m_classification = nullptr;
    ReplyDrafter *m_drafter = nullptr;
    WebhookService *m_webhooks = nullptr;
    // The ticket whose draft is being prepared, until it starts streaming or is shown.
    qint64 m_draftRequested = 0;
    QUrl m_apiAddress;
    QString m_apiProblem;
    // Null when the role may not read statistics.
    StatsView *m_statsView = nullptr;
    // The learned model whose learning curve the statistics show; 0 for none.
    qint64 m_chartedModelId = 0;
    QLabel *m_apiLabel;
    QLabel *m_aiLabel;
    QLabel *m_queueLabel;
    QLabel *m_databaseLabel;
    QLabel *m_userLabel;
    QTimer m_searchTimer;
    QTimer m_statusTimer;
    quint64 m_detailGeneration = 0;
    quint64 m_statsGeneration = 0;
    // Shared with the storage thread, which skips counts that a newer filter made stale.
    std::shared_ptr<std::atomic<quint64>> m_countsWanted =
        std::make_shared<std::atomic<quint64>>(0);
    // A ticket to select once the table shows it, after the agent submitted it.
    qint64 m_selectWhenShown = 0;
    // The ticket the detail pane shows, as read, and the last change it showed: a change made
    // from the pane must find it at this version.
    std::optional<Ticket> m_shownTicket;
    qint64 m_shownLastEventId = 0;
    // The version the agent's own last change left a ticket at. A second key pressed before the
    // pane reread the ticket still holds the version shown; it builds on the agent's own change,
    // not on someone else's. Touched on the storage thread only, where changes run in order.
    struct OwnChange
    {
        qint64 ticketId = 0;
        qint64 shownVersion = 0;
        qint64 versionAfter = 0;
    };
    std::shared_ptr<OwnChange> m_ownChange = std::make_shared<OwnChange>();
    QElapsedTimer m_assigneesRead;
};
