#pragma once

#include "learnedmodel.h"
#include "linearmodelinfo.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

class Database;
class LinearModel;
class LocalClassifier;
class RulesClassifier;

// The learned local classifier every node of a database uses, whatever its recipe (fastText or
// linear): loading the active one, storing a newly trained one, and an admin's rollback and pin.
class LearnedModelStore final
{
    Q_DECLARE_TR_FUNCTIONS(LearnedModelStore)

public:
    // What `train`, the status bar and the health detail say about a stored model.
    struct Summary
    {
        qint64 id = 0;
        QString kind;
        // e.g. "linear-20261206-161500".
        QString name;
        QDateTime createdAt;
        bool active = false;
        bool pinned = false;
        qint64 trainingSize = 0;
        // Measured when it was trained (held out for fastText, out of fold for linear), and the
        // built-in rules on the same tickets; none when the metadata could not be read.
        std::optional<double> accuracy;
        std::optional<double> rulesAccuracy;
        // Linear models only: accuracy by training tickets, measured when it was trained.
        LearningCurve learningCurve;

        QJsonObject toJson() const;
    };

    explicit LearnedModelStore(const Database &database);
    Q_DISABLE_COPY_MOVE(LearnedModelStore)

    // The active model's id, 0 when there is none: cheap enough to poll. Throws StorageError.
    qint64 activeModelId() const;
    // The same, and whether it is pinned (false for none). Throws StorageError.
    std::pair<qint64, bool> activeModelIdAndPin() const;
    // The active model as a classifier, or null with *error set (none, unreadable, or a
    // database failure). *id, when given, is set to the id of the model read (even if it could
    // not be loaded) or to 0 when none is stored; it is left alone when the database could not
    // be read.
    std::unique_ptr<LocalClassifier> load(QString *error, qint64 *id = nullptr) const;
    // Throws StorageError.
    std::optional<Summary> active() const;
    // Every stored classifier model, newest first. Throws StorageError.
    QList<Summary> list() const;
    // Stores a linear model as the active one, unless the active model is no longer
    // expectedActiveId (0: none) or is pinned; returns its id, or 0 when it was not stored.
    // Throws StorageError.
    qint64 storeLinear(const LinearModel &model, const LinearModelInfo &info,
                       qint64 expectedActiveId) const;
    // An admin's rollback: makes an earlier model the active one. False when no classifier
    // model has that id. Throws StorageError.
    bool activate(qint64 id) const;
    // False when no model is active. Throws StorageError.
    bool setPinned(bool pinned) const;

    // The active calibration of the rules' confidence, 0 when none: cheap enough to poll.
    // Throws StorageError.
    qint64 activeRulesCalibrationId() const;
    // The rules with the active calibration, or with their cautious default when none is
    // stored or it cannot be read; *id is the calibration's id (0: none). Throws StorageError.
    std::shared_ptr<const RulesClassifier> loadRules(qint64 *id) const;

    static Summary summarize(const LearnedModel &model);

private:
    const Database &m_database;
};
