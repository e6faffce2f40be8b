#pragma once

#include "role.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

// A person who signs in to the console and to whom tickets are assigned.
struct UserAccount
{
    qint64 id = 0;
    QString name;
    Role role = Role::Agent;
    // libsodium's Argon2id string; empty for the operating-system account of a one-person
    // console, which signs in without a password.
    QByteArray passwordHash;
    bool disabled = false;
    QString createdBy;
    QDateTime createdAt;
};
