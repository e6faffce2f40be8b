#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

class QBarSet;
class QChart;
class QChartView;
class QColor;
class QIcon;
class QPalette;
class QTableWidget;
class QTableWidgetItem;
class QValueAxis;

// How the statistics write figures and dress charts and tables, shared by their panels.
class StatsFormat final
{
    Q_DECLARE_TR_FUNCTIONS(StatsFormat)

public:
    // "3 d 4 h", "2 h 5 min", "12 min" or "under a minute".
    static QString age(qint64 seconds);
    // A share as a percentage, or a dash when there is nothing to share.
    static QString rate(std::optional<double> rate);
    static QTableWidgetItem *numberItem(const QString &text);
    static QIcon swatch(const QColor &color);
    // Makes a table as tall as its header and rows, up to maxHeight, after which it scrolls.
    static void fitToRows(QTableWidget *table, int maxHeight);
    // The same now and whenever its rows change or are sized again, as they are once the table
    // is first shown.
    static void keepFittedToRows(QTableWidget *table, int maxHeight);

    static QBarSet *newBarSet(const QString &label, const QColor &color);
    static QValueAxis *newCountAxis();
    // Whole-number ticks at 1, 2 or 5 times a power of ten, up to at least maximum.
    static void setCountRange(QValueAxis *axis, qint64 maximum);
    // Puts chart in view, deleting the empty chart the .ui file gave it.
    static void installChart(QChartView *view, QChart *chart);
    // Charts draw with their own theme; this paints one in the window's light or dark palette.
    static void followPalette(QChart *chart, const QPalette &colours);
};
