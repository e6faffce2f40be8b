#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QLatin1StringView>
#include <QString>

// One trained model as the database keeps it: the model's bytes and the program's JSON about it.
// Reads that do not need them leave metadata and model empty.
struct LearnedModel
{
    // Kinds the schema knows. fastText and linear models are classifiers: one of them at a time
    // is the active one, which every node uses. The rules' calibration is active beside it.
    static constexpr QLatin1StringView kFastText{"fasttext"};
    static constexpr QLatin1StringView kLinear{"linear"};
    static constexpr QLatin1StringView kRulesCalibration{"rules_calibration"};

    enum class Slot { Classifier, RulesCalibration };
    static Slot slotOf(QStringView kind)
    {
        return kind == kRulesCalibration ? Slot::RulesCalibration : Slot::Classifier;
    }

    qint64 id = 0;
    QString kind;
    QString version;
    QDateTime createdAt;
    QString metadata;
    QByteArray model;
    bool active = false;
    // Kept active by `train` and by background retraining until an admin unpins it.
    bool pinned = false;
};
