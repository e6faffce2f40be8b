#include "webhooklistmodel.h"

#include "accountlabels.h"

#include <QPalette>

int WebhookListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WebhookListModel::data(const QModelIndex &index, int role) const
{
    const Webhook *webhook = rowAt(index.row());
    if (!webhook)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case UrlColumn:
            return webhook->url.toDisplayString();
        case EventsColumn:
            return webhook->eventTypes.join(QLatin1String(", "));
        case CreatedColumn:
            return AccountLabels::moment(webhook->createdAt);
        case StateColumn:
            return webhook->isLive()
                       ? tr("Live")
                       : tr("Removed %1").arg(AccountLabels::moment(webhook->removedAt));
        }
        break;
    case RawValueRole:
        switch (index.column()) {
        case UrlColumn:
            return webhook->url.toDisplayString();
        case EventsColumn:
            return int(webhook->eventTypes.size());
        case CreatedColumn:
            return webhook->createdAt;
        case StateColumn:
            return webhook->isLive() ? 0 : 1;
        }
        break;
    case Qt::ToolTipRole:
        return tr("Added by %1").arg(webhook->createdBy);
    case Qt::ForegroundRole:
        if (!webhook->isLive())
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        break;
    }
    return {};
}

QVariant WebhookListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case UrlColumn:
        return tr("URL");
    case EventsColumn:
        return tr("Events");
    case CreatedColumn:
        return tr("Added");
    case StateColumn:
        return tr("State");
    }
    return {};
}
