#include "testaccount.h"

UserAccount testAccount(Role role, const QString &name)
{
    UserAccount account;
    account.id = 1;
    account.name = name;
    account.role = role;
    account.createdBy = QStringLiteral("system:tests");
    account.createdAt = QDateTime::currentDateTimeUtc();
    return account;
}
