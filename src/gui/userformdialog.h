#pragma once

#include "role.h"
#include "submitformdialog.h"

#include <memory>

namespace Ui {
class UserFormDialog;
}

// The form for a new user (name, role, password typed twice) or a user's new password. It
// only checks that the two entries agree; whoever opened it stores the result off the GUI
// thread and either closes it with finish() or shows the refusal with showProblem().
class UserFormDialog final : public SubmitFormDialog
{
    Q_OBJECT

public:
    enum class Purpose { NewUser, NewPassword };
    // For NewPassword, the user whose password changes.
    UserFormDialog(Purpose purpose, const QString &userName, QWidget *parent = nullptr);
    ~UserFormDialog() override;
    Q_DISABLE_COPY_MOVE(UserFormDialog)

    QString userName() const;
    Role role() const;
    QString password() const;

protected:
    // A user name, and the two passwords agree.
    bool checkEntries() override;

private:
    std::unique_ptr<Ui::UserFormDialog> m_ui;
};
