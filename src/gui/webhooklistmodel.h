#pragma once

#include "keyedlistmodel.h"
#include "webhook.h"

// The webhooks for the admins' webhooks dialog, live and removed, never a secret.
class WebhookListModel final : public KeyedListModel<Webhook>
{
    Q_OBJECT

public:
    enum Column { UrlColumn, EventsColumn, CreatedColumn, StateColumn, ColumnCount };
    enum ItemRole {
        // The value behind the text, for sorting: URL, event count, time, live first.
        RawValueRole = Qt::UserRole + 1,
    };

    using KeyedListModel::KeyedListModel;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};
