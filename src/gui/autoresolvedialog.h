#pragma once

#include "actor.h"
#include "autoresolverule.h"
#include "category.h"

#include <QDialog>

#include <array>
#include <memory>
#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class StorageThread;

namespace Ui {
class AutoResolveDialog;
}

// The admins' auto-resolve rules: for each category, whether its new tickets may be answered
// without an agent and how sure the machine must be. The rules are the team's, kept in the
// database; read and saved on a storage thread.
class AutoResolveDialog final : public QDialog
{
    Q_OBJECT

public:
    AutoResolveDialog(StorageThread &store, const Actor &actor, QWidget *parent = nullptr);
    ~AutoResolveDialog() override;
    Q_DISABLE_COPY_MOVE(AutoResolveDialog)

    QCheckBox *enabledBox(Category category) const;
    QDoubleSpinBox *thresholdBox(Category category) const;

Q_SIGNALS:
    // The rules on screen are the database's: read, or saved.
    void rulesShown();
    void rulesSaved();

private:
    void load();
    void save();
    void showRules(const QList<AutoResolveRule> &rules);
    void setBusy(bool busy);

    std::unique_ptr<Ui::AutoResolveDialog> m_ui;
    StorageThread &m_store;
    const Actor m_actor;
    struct Row
    {
        QCheckBox *enabled = nullptr;
        QDoubleSpinBox *threshold = nullptr;
    };
    std::array<Row, kAllCategories.size()> m_rows{};
    // The thresholds as last read, none where auto-resolve is off.
    std::array<std::optional<double>, kAllCategories.size()> m_shown{};
};
