#pragma once

#include "learningcurve.h"
#include "ticketstats.h"

#include <QWidget>

#include <memory>

class QBarSet;
class QLineSeries;
class QCategoryAxis;
class QChart;
class QStackedBarSeries;
class QValueAxis;

namespace Ui {
class StatsView;
}

// The managers' statistics: tickets per day by category as stacked bars under the customers'
// average rating, with the agents' corrections, the machine's confidence and the open backlog's
// age beside them, and what came of the tickets for their customers on a tab of its own. It
// shows what setStats() hands it and loads nothing itself; a new range is asked for with
// rangeChanged().
class StatsView final : public QWidget
{
    Q_OBJECT

public:
    explicit StatsView(QWidget *parent = nullptr);
    ~StatsView() override;
    Q_DISABLE_COPY_MOVE(StatsView)

    // The ranges the selector offers, in days.
    static constexpr std::array<int, 3> kRangeChoices{7, 30, 90};

    void setStats(const TicketStats &stats);
    // The active local model's learning curve; an empty one says how to get one.
    void setLearningCurve(const LearningCurve &curve);
    const TicketStats &stats() const { return m_stats; }
    // The range selected, which the shown stats may not cover yet while they load.
    int rangeDays() const;

    // Write what is shown; on failure return false with a reason fit for the user.
    bool exportPng(const QString &path, QString *errorMessage = nullptr);
    bool exportCsv(const QString &path, QString *errorMessage = nullptr) const;
    // The CSV file's content: one row per day, the counts per category, unclassified and total.
    QByteArray csv() const;

Q_SIGNALS:
    void rangeChanged(int days);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setUpDailyChart();
    void setUpConfidenceChart();
    void setUpLearningChart();
    void setUpCorrectionsTable();
    // Charts draw with their own theme; this paints them in the window's light or dark palette.
    void followPalette();
    void showDaily();
    void labelDays();
    void showTotals();
    void showCorrections();
    void showConfidence();
    void showBacklog();
    void chooseAndExportPng();
    void chooseAndExportCsv();
    void showBarTip(QBarSet *set, bool entered, int index, const QString &where);

    std::unique_ptr<Ui::StatsView> m_ui;
    TicketStats m_stats;
    QChart *m_dailyChart = nullptr;
    QStackedBarSeries *m_dailySeries = nullptr;
    QCategoryAxis *m_dayAxis = nullptr;
    QValueAxis *m_dailyCountAxis = nullptr;
    QLineSeries *m_ratingSeries = nullptr;
    QValueAxis *m_ratingAxis = nullptr;
    qsizetype m_dayLabelStep = 0;
    QChart *m_confidenceChart = nullptr;
    QStackedBarSeries *m_confidenceSeries = nullptr;
    QCategoryAxis *m_confidenceAxis = nullptr;
    QValueAxis *m_confidenceCountAxis = nullptr;
    QChart *m_learningChart = nullptr;
    QLineSeries *m_modelSeries = nullptr;
    QLineSeries *m_rulesSeries = nullptr;
    QValueAxis *m_ticketsAxis = nullptr;
    QValueAxis *m_accuracyAxis = nullptr;
};
