#pragma once

#include "integrationtoken.h"
#include "keyedlistmodel.h"

// The API's integration tokens for the admins' tokens dialog, live and revoked, never a secret.
class TokenListModel final : public KeyedListModel<IntegrationToken>
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ScopesColumn,
        CreatedColumn,
        LastUsedColumn,
        ExpiresColumn,
        StateColumn,
        ColumnCount
    };
    enum ItemRole {
        // The value behind the text, for sorting: name, scope bits, times, live first.
        RawValueRole = Qt::UserRole + 1,
    };

    using KeyedListModel::KeyedListModel;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};
