#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

// One trained model as the database keeps it: the model file's bytes and the program's JSON
// about it. Reads that do not need them leave metadata and model empty.
struct LearnedModel
{
    qint64 id = 0;
    QString kind;
    QString version;
    QDateTime createdAt;
    QString metadata;
    QByteArray model;
    bool active = false;
};
