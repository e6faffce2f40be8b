#include "localmodeltrainer.h"

#include "ailogging.h"
#include "database.h"
#include "databaselocation.h"
#include "fasttexttrainer.h"
#include "learnedmodelrepository.h"
#include "localclassifier.h"
#include "rulesclassifier.h"
#include "storageerror.h"
#include "trainingcancelled.h"
#include "trainingset.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

QJsonObject verdictJson(const ModelGate::Verdict &verdict)
{
    return {{u"accepted"_s, verdict.accepted},
            {u"candidate_accuracy"_s, verdict.candidateAccuracy},
            {u"incumbent_accuracy"_s, verdict.incumbentAccuracy},
            {u"candidate_macro_f1"_s, verdict.candidateMacroF1},
            {u"incumbent_macro_f1"_s, verdict.incumbentMacroF1},
            {u"candidate_only_right"_s, verdict.candidateOnly},
            {u"incumbent_only_right"_s, verdict.incumbentOnly},
            {u"p_value"_s, verdict.pValue},
            {u"reason"_s, verdict.reason}};
}

} // namespace

LocalModelTrainer::LocalModelTrainer()
    : LocalModelTrainer(Options())
{}

LocalModelTrainer::LocalModelTrainer(Options options)
    : m_options(std::move(options))
{}

std::variant<LocalModelTrainer::Report, QString>
LocalModelTrainer::trainAndKeep(const QList<TrainingExample> &examples,
                                const Database &database) const
{
    QElapsedTimer clock;
    clock.start();
    const TrainingSet set(examples);
    const qint64 setMs = clock.elapsed();
    if (set.size() < std::max(m_options.minimumExamples, m_options.linear.folds)) {
        return tr("only %1 distinct labelled tickets; a model needs at least %2. Confirm or "
                  "correct categories in the window, or import tickets with a queue.")
            .arg(set.size())
            .arg(m_options.minimumExamples);
    }
    const LearnedModelStore store(database);
    Report report;
    report.location = DatabaseLocation::redacted(database.config());
    report.duplicates = set.duplicates();
    report.conflicts = set.conflicts();
    report.previous = store.active();

    // Past this many tickets three folds estimate as well as five (each fold model still sees
    // tens of thousands), and two fewer trainings keep 100,000 tickets within a minute.
    LinearModelTrainer::Options linear = m_options.linear;
    if (set.size() > kFewerFoldsAbove)
        linear.folds = std::min(linear.folds, 3);
    const LinearModelTrainer::Result trained = LinearModelTrainer(linear).train(set);
    const qint64 trainedMs = clock.elapsed();
    const QDateTime now = m_options.now.isValid() ? m_options.now : QDateTime::currentDateTimeUtc();
    LinearModelInfo &info = report.candidate;
    info.version = now.toUTC().toString(u"yyyyMMdd-hhmmss"_s);
    if (report.previous && report.previous->name == info.modelName())
        info.version += u"-2"_s;
    info.trainedAt = now;
    info.trainingSize = set.size();
    info.folds = linear.folds;
    info.cost = trained.cost;
    report.metrics = trained.crossValidated;
    info.accuracy = report.metrics.accuracy();
    info.macroF1 = report.metrics.macroF1();
    info.expectedCalibrationError = report.metrics.expectedCalibrationError();
    info.confidenceAuroc = report.metrics.confidenceAuroc();

    const RulesClassifier rules;
    std::vector<Category> actual;
    std::vector<Category> rulesAnswers;
    actual.reserve(set.entries().size());
    rulesAnswers.reserve(set.entries().size());
    for (const TrainingSet::Entry &entry : set.entries()) {
        const Prediction prediction = rules.predict(entry.example.text);
        actual.push_back(entry.example.category);
        rulesAnswers.push_back(prediction.category);
        report.rulesMetrics.add(entry.example.category, prediction.category, prediction.confidence);
    }
    info.rulesAccuracy = report.rulesMetrics.accuracy();
    info.rulesMacroF1 = report.rulesMetrics.macroF1();
    // Capped: beyond 20,000 tickets the curve is flat and the training budget is better spent.
    LearningCurve::Options curve;
    curve.folds = linear.folds;
    curve.largestSize = kLearningCurveLargest;
    curve.stop = linear.stop;
    info.learningCurve = LearningCurve::measure(set, curve);
    const qint64 curveMs = clock.elapsed();
    const QString candidateName = tr("the new linear model");
    report.againstRules = ModelGate::compare(actual, trained.outOfFold, rulesAnswers, candidateName,
                                             tr("the built-in rules"));

    // The same recipe trained on fewer tickets has already beaten the rules; more of the
    // team's tickets only sharpen it. Another recipe is measured on the tickets it held out.
    if (report.previous && report.previous->kind != LearnedModel::kLinear) {
        QString loadError;
        const std::unique_ptr<LocalClassifier> active = store.load(&loadError);
        if (!active) {
            report.previousError = loadError;
        } else {
            std::vector<Category> heldOutActual;
            std::vector<Category> candidateAnswers;
            std::vector<Category> activeAnswers;
            const int heldOutPercent = FastTextTrainer::Options().heldOutPercent;
            for (std::size_t i = 0; i < set.entries().size(); ++i) {
                const TrainingExample &example = set.entries()[i].example;
                if (!FastTextTrainer::isHeldOut(example.text, heldOutPercent))
                    continue;
                heldOutActual.push_back(example.category);
                candidateAnswers.push_back(trained.outOfFold[i]);
                activeAnswers.push_back(active->predict(example.text).category);
            }
            report.againstActive =
                ModelGate::compare(heldOutActual, candidateAnswers, activeAnswers, candidateName,
                                   tr("the active model %1").arg(report.previous->name));
        }
    }

    TrainingCancelled::throwIfRequested(linear.stop);
    report.rulesCalibration = calibrateRules(set, database, info, linear.folds);
    qCDebug(lcAi,
            "Training on %lld tickets: set %lld ms, cross-validation %lld ms, learning curve "
            "%lld ms, rules %lld ms",
            qint64(set.size()), setMs, trainedMs - setMs, curveMs - trainedMs,
            clock.elapsed() - curveMs);

    const bool pinned = report.previous && report.previous->pinned;
    const bool earned =
        report.againstRules.accepted && (!report.againstActive || report.againstActive->accepted);
    const QString kept = report.previous ? tr("%1 stays in use.").arg(report.previous->name)
                                         : tr("The built-in rules stay in use.");
    if (!report.againstRules.accepted) {
        report.decision = report.againstRules.reason + u' ' + kept;
    } else if (report.againstActive && !report.againstActive->accepted) {
        report.decision = report.againstActive->reason + u' ' + kept;
    } else if (pinned) {
        report.decision = tr("The new model would be better, but an admin pinned %1, so it stays "
                             "in use until it is unpinned.")
                              .arg(report.previous->name);
    }
    if (earned && !pinned) {
        try {
            report.storedId =
                store.storeLinear(trained.model, info, report.previous ? report.previous->id : 0);
        } catch (const StorageError &error) {
            return error.message();
        }
        report.replaced = report.storedId != 0;
        if (report.replaced) {
            report.decision =
                (report.againstActive ? report.againstActive->reason : report.againstRules.reason) +
                u' ' + tr("%1 is now in use on every node of this database.").arg(info.modelName());
            // Not compared with it: a recipe against itself is always a tie.
            if (report.previous && report.previous->kind == LearnedModel::kLinear) {
                report.decision += u' ' + tr("It replaces %1, the same recipe trained on the "
                                             "tickets labelled until then.")
                                              .arg(report.previous->name);
            }
        } else {
            report.decision = tr("Another node stored or pinned a model while this one trained; "
                                 "that model stays in use.");
        }
    }
    return report;
}

LocalModelTrainer::RulesFit LocalModelTrainer::calibrateRules(const TrainingSet &set,
                                                              const Database &database,
                                                              const LinearModelInfo &info,
                                                              int folds) const
{
    RulesFit result;
    const RulesClassifier rules;
    struct Judged
    {
        RulesCalibration::Sample sample;
        Prediction prior;
        Category actual = Category::General;
    };
    std::vector<std::vector<Judged>> byFold(static_cast<std::size_t>(folds));
    std::vector<RulesCalibration::Sample> all;
    all.reserve(set.entries().size());
    for (const TrainingSet::Entry &entry : set.entries()) {
        const RulesCalibration::Reading reading = rules.reading(entry.example.text);
        const Judged judged{{reading, reading.named == entry.example.category},
                            rules.predict(entry.example.text),
                            entry.example.category};
        result.prior.add(judged.actual, judged.prior.category, judged.prior.confidence);
        all.push_back(judged.sample);
        byFold[std::size_t(TrainingSet::foldOf(entry.key, folds))].push_back(judged);
    }
    // Each fold's tickets judged by a calibration fitted on the other folds only.
    for (int fold = 0; fold < folds; ++fold) {
        std::vector<RulesCalibration::Sample> others;
        for (int other = 0; other < folds; ++other) {
            if (other == fold)
                continue;
            for (const Judged &judged : byFold[std::size_t(other)])
                others.push_back(judged.sample);
        }
        const RulesCalibration calibration = RulesCalibration::fit(others);
        for (const Judged &judged : byFold[std::size_t(fold)]) {
            result.crossFitted.add(judged.actual, judged.prior.category,
                                   calibration.confidence(judged.sample.reading));
        }
    }
    result.calibration = RulesCalibration::fit(all);
    // The Brier score rewards both what calibration error measures and telling right answers
    // from wrong ones, so a fit that only matched the average cannot win on it.
    if (result.crossFitted.brierScore() >= result.prior.brierScore())
        return result;
    LearnedModel stored;
    stored.kind = LearnedModel::kRulesCalibration;
    stored.version = info.version;
    stored.createdAt = info.trainedAt;
    stored.metadata = QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"format_version"_s, 1},
                                  {u"version"_s, info.version},
                                  {u"tickets"_s, qint64(all.size())},
                                  {u"prior"_s, result.prior.toJson()},
                                  {u"cross_fitted"_s, result.crossFitted.toJson()}})
            .toJson(QJsonDocument::Compact));
    stored.model = QJsonDocument(result.calibration.toJson()).toJson(QJsonDocument::Compact);
    TrainingCancelled::throwIfRequested(m_options.linear.stop);
    // 0 when another node's calibration became active at the same moment: that one is in use.
    result.stored = LearnedModelRepository(database).add(stored) != 0;
    return result;
}

QJsonObject LocalModelTrainer::Report::toJson() const
{
    QJsonObject json{{u"model"_s, candidate.modelName()},
                     {u"candidate"_s, candidate.toJson()},
                     {u"cross_validated"_s, metrics.toJson()},
                     {u"rules"_s, rulesMetrics.toJson()},
                     {u"duplicates_skipped"_s, duplicates},
                     {u"label_conflicts_skipped"_s, conflicts},
                     {u"against_rules"_s, verdictJson(againstRules)},
                     {u"replaced"_s, replaced},
                     {u"decision"_s, decision},
                     {u"stored_in"_s, location}};
    if (againstActive)
        json.insert(u"against_active"_s, verdictJson(*againstActive));
    const auto confidenceJson = [](const ClassificationMetrics &measured) {
        return QJsonObject{{u"expected_calibration_error"_s, measured.expectedCalibrationError()},
                           {u"confidence_auroc"_s, measured.confidenceAuroc()},
                           {u"brier_score"_s, measured.brierScore()}};
    };
    json.insert(u"rules_calibration"_s,
                QJsonObject{{u"stored"_s, rulesCalibration.stored},
                            {u"prior"_s, confidenceJson(rulesCalibration.prior)},
                            {u"cross_fitted"_s, confidenceJson(rulesCalibration.crossFitted)}});
    if (previous)
        json.insert(u"previous"_s, previous->toJson());
    if (!previousError.isEmpty())
        json.insert(u"previous_error"_s, previousError);
    json.insert(u"active_model"_s, replaced
                                       ? candidate.modelName()
                                       : (previous ? previous->name : QStringLiteral("rules")));
    return json;
}

QString LocalModelTrainer::Report::toText() const
{
    QString text;
    QTextStream out(&text);
    out << tr("candidate:        %1").arg(candidate.modelName()) << '\n'
        << tr("training tickets: %1 (%2 duplicates skipped), scored in %3 folds: each ticket by "
              "the model trained without it")
               .arg(candidate.trainingSize)
               .arg(duplicates)
               .arg(candidate.folds)
        << '\n';
    if (conflicts > 0) {
        out << tr("label conflicts:  %1 texts skipped (their copies are labelled differently, "
                  "none by a majority)")
                   .arg(conflicts)
            << '\n';
    }
    out << tr("accuracy %1, macro-F1 %2 (built-in rules on the same tickets: %3, %4)")
               .arg(candidate.accuracy, 0, 'f', 3)
               .arg(candidate.macroF1, 0, 'f', 3)
               .arg(candidate.rulesAccuracy, 0, 'f', 3)
               .arg(candidate.rulesMacroF1, 0, 'f', 3)
        << '\n'
        << tr("confidence:       calibration error %1, AUROC %2 (how well it tells right answers "
              "from wrong ones; 0.5 is chance)")
               .arg(candidate.expectedCalibrationError, 0, 'f', 3)
               .arg(candidate.confidenceAuroc, 0, 'f', 3)
        << '\n';
    out << tr("rules confidence: calibration error %1 and AUROC %2 with the cautious default, "
              "%3 and %4 fitted on these tickets (measured on folds it was not fitted on); %5")
               .arg(rulesCalibration.prior.expectedCalibrationError(), 0, 'f', 3)
               .arg(rulesCalibration.prior.confidenceAuroc(), 0, 'f', 3)
               .arg(rulesCalibration.crossFitted.expectedCalibrationError(), 0, 'f', 3)
               .arg(rulesCalibration.crossFitted.confidenceAuroc(), 0, 'f', 3)
               .arg(rulesCalibration.stored ? tr("the fitted one is kept")
                                            : tr("the default stays"))
        << '\n';
    if (previous) {
        out << tr("active before:    %1%2")
                   .arg(previous->name, previous->pinned ? tr(" (pinned)") : QString())
            << '\n';
    }
    if (!previousError.isEmpty())
        out << tr("                  unreadable: %1").arg(previousError) << '\n';
    out << (replaced ? tr("kept:             %1 in %2").arg(candidate.modelName(), location)
                     : tr("not kept"))
        << '\n'
        << tr("why:              %1").arg(decision) << '\n'
        << '\n'
        << metrics.toText();
    return text;
}
