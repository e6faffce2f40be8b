#include "webhookdeliverymodel.h"

#include "accountlabels.h"

#include <QColor>

QString WebhookDeliveryModel::stateLabel(WebhookDelivery::State state)
{
    switch (state) {
    case WebhookDelivery::State::Pending:
        return tr("Pending");
    case WebhookDelivery::State::Delivered:
        return tr("Delivered");
    case WebhookDelivery::State::Failed:
        return tr("Failed");
    case WebhookDelivery::State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

int WebhookDeliveryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WebhookDeliveryModel::data(const QModelIndex &index, int role) const
{
    const WebhookDelivery *delivery = rowAt(index.row());
    if (!delivery)
        return {};
    const auto result = [delivery] {
        if (delivery->state == WebhookDelivery::State::Delivered)
            return tr("HTTP %1").arg(delivery->lastStatus);
        return delivery->lastError;
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case EventColumn:
            return delivery->eventId;
        case TypeColumn:
            return delivery->eventType;
        case TicketColumn:
            return delivery->ticketId;
        case StateColumn:
            return stateLabel(delivery->state);
        case AttemptsColumn:
            return delivery->attempts;
        case LastAttemptColumn:
            return AccountLabels::moment(delivery->lastAttemptAt);
        case ResultColumn:
            return result();
        case NextAttemptColumn:
            return delivery->state == WebhookDelivery::State::Pending
                       ? AccountLabels::moment(delivery->nextAttemptAt)
                       : QStringLiteral("–");
        }
        break;
    case RawValueRole:
        switch (index.column()) {
        case EventColumn:
            return delivery->eventId;
        case TypeColumn:
            return delivery->eventType;
        case TicketColumn:
            return delivery->ticketId;
        case StateColumn:
            return int(delivery->state);
        case AttemptsColumn:
            return delivery->attempts;
        case LastAttemptColumn:
            return delivery->lastAttemptAt;
        case ResultColumn:
            return result();
        case NextAttemptColumn:
            return delivery->nextAttemptAt;
        }
        break;
    case Qt::ToolTipRole:
        // The receiver's answer may be longer than the column.
        if (index.column() == ResultColumn && !delivery->lastError.isEmpty())
            return delivery->lastError;
        break;
    case Qt::ForegroundRole:
        if (index.column() == StateColumn && delivery->state == WebhookDelivery::State::Failed)
            return QColor(0xC0, 0x39, 0x2B);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == EventColumn || index.column() == TicketColumn ||
            index.column() == AttemptsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant WebhookDeliveryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EventColumn:
        return tr("Event");
    case TypeColumn:
        return tr("Type");
    case TicketColumn:
        return tr("Ticket");
    case StateColumn:
        return tr("State");
    case AttemptsColumn:
        return tr("Attempts");
    case LastAttemptColumn:
        return tr("Last attempt");
    case ResultColumn:
        return tr("Result");
    case NextAttemptColumn:
        return tr("Next attempt");
    }
    return {};
}
