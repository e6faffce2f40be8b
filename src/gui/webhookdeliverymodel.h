#pragma once

#include "keyedlistmodel.h"
#include "webhookdelivery.h"

// A webhook's delivery log for the admins' webhooks dialog: each event sent or still to be
// sent, how its attempts went and when the next one is due.
class WebhookDeliveryModel final : public KeyedListModel<WebhookDelivery>
{
    Q_OBJECT

public:
    enum Column {
        EventColumn,
        TypeColumn,
        TicketColumn,
        StateColumn,
        AttemptsColumn,
        LastAttemptColumn,
        ResultColumn,
        NextAttemptColumn,
        ColumnCount
    };
    enum ItemRole {
        // The value behind the text, for sorting: newest first by the delivery's id.
        RawValueRole = Qt::UserRole + 1,
    };

    using KeyedListModel::KeyedListModel;

    static QString stateLabel(WebhookDelivery::State state);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};
