#include "tokenlistmodel.h"

#include "accountlabels.h"

#include <QPalette>

int TokenListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenListModel::data(const QModelIndex &index, int role) const
{
    const IntegrationToken *token = rowAt(index.row());
    if (!token)
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return token->name;
        case ScopesColumn:
            return AccountLabels::scopes(token->scopes);
        case CreatedColumn:
            return AccountLabels::moment(token->createdAt);
        case LastUsedColumn:
            return token->lastUsedAt.isValid() ? AccountLabels::moment(token->lastUsedAt)
                                               : tr("Never");
        case ExpiresColumn:
            return token->expiresAt.isValid() ? AccountLabels::moment(token->expiresAt)
                                              : tr("Never");
        case StateColumn:
            return AccountLabels::tokenState(*token, now);
        }
        break;
    case RawValueRole:
        switch (index.column()) {
        case NameColumn:
            return token->name;
        case ScopesColumn:
            return token->scopes.toInt();
        case CreatedColumn:
            return token->createdAt;
        case LastUsedColumn:
            return token->lastUsedAt;
        case ExpiresColumn:
            return token->expiresAt;
        case StateColumn:
            return token->isLive(now) ? 0 : 1;
        }
        break;
    case Qt::ToolTipRole:
        if (!token->createdBy.isEmpty())
            return tr("Created by %1").arg(token->createdBy);
        break;
    case Qt::ForegroundRole:
        // Kept in the list so an admin sees what was revoked, but plainly no longer in use.
        if (!token->isLive(now))
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        break;
    }
    return {};
}

QVariant TokenListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ScopesColumn:
        return tr("Scopes");
    case CreatedColumn:
        return tr("Created");
    case LastUsedColumn:
        return tr("Last used");
    case ExpiresColumn:
        return tr("Expires");
    case StateColumn:
        return tr("State");
    }
    return {};
}
