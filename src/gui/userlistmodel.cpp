#include "userlistmodel.h"

#include "accountlabels.h"

#include <QPalette>

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    const UserAccount *user = rowAt(index.row());
    if (!user)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return user->name;
        case RoleColumn:
            return AccountLabels::role(user->role);
        case StateColumn:
            return AccountLabels::userState(*user);
        case CreatedColumn:
            return AccountLabels::moment(user->createdAt);
        }
        break;
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return user->name;
        case RoleColumn:
            return int(user->role);
        case StateColumn:
            return user->disabled;
        case CreatedColumn:
            return user->createdAt;
        }
        break;
    case Qt::ToolTipRole:
        if (!user->createdBy.isEmpty())
            return tr("Added by %1").arg(user->createdBy);
        break;
    case Qt::ForegroundRole:
        // A disabled user stays listed, since tickets name them, but reads as inactive.
        if (user->disabled)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        break;
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case RoleColumn:
        return tr("Role");
    case StateColumn:
        return tr("State");
    case CreatedColumn:
        return tr("Added");
    }
    return {};
}
