#pragma once

#include "keyedlistmodel.h"
#include "useraccount.h"

// The team's users for the admins' users dialog: name, role, state and when each was added.
class UserListModel final : public KeyedListModel<UserAccount>
{
    Q_OBJECT

public:
    enum Column { NameColumn, RoleColumn, StateColumn, CreatedColumn, ColumnCount };
    enum ItemRole {
        // The value behind the text, for sorting: name, role order, disabled, time.
        RawValueRole = Qt::UserRole + 1,
    };

    using KeyedListModel::KeyedListModel;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};
