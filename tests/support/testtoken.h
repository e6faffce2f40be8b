#pragma once

#include "scope.h"

#include <QByteArray>
#include <QString>

class Database;

// An integration token made the way `tokens create` makes one, for tests that talk to the API:
// its secret, to send as "Authorization: Bearer <secret>". Fails the test (QFAIL-like, via
// qFatal) when the token cannot be made.
QByteArray makeTestToken(const Database &database,
                         Scopes scopes = Scope::TicketsRead | Scope::TicketsWrite |
                                         Scope::StatsRead | Scope::RepliesWrite |
                                         Scope::FeedbackWrite | Scope::EventsRead,
                         const QString &name = QStringLiteral("tests"));
