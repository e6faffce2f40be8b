#include "statsformat.h"

#include <QAbstractAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QIcon>
#include <QLegend>
#include <QLocale>
#include <QPalette>
#include <QPen>
#include <QPixmap>
#include <QTableWidget>
#include <QTableWidgetItem>
#include <QValueAxis>

#include <algorithm>

QString StatsFormat::age(qint64 seconds)
{
    const qint64 minutes = seconds / 60;
    const qint64 hours = minutes / 60;
    const qint64 days = hours / 24;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours % 24);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    if (minutes > 0)
        return tr("%1 min").arg(minutes);
    return tr("under a minute");
}

QString StatsFormat::rate(std::optional<double> rate)
{
    if (!rate)
        return tr("–");
    return tr("%1 %").arg(QLocale().toString(*rate * 100.0, 'f', 1));
}

QTableWidgetItem *StatsFormat::numberItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QIcon StatsFormat::swatch(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(color);
    return QIcon(pixmap);
}

void StatsFormat::fitToRows(QTableWidget *table, int maxHeight)
{
    table->resizeRowsToContents();
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int row = 0; row < table->rowCount(); ++row)
        height += table->rowHeight(row);
    table->setFixedHeight(std::min(height, maxHeight));
}

void StatsFormat::keepFittedToRows(QTableWidget *table, int maxHeight)
{
    const auto fit = [table, maxHeight] {
        fitToRows(table, maxHeight);
    };
    QObject::connect(table->verticalHeader(), &QHeaderView::sectionResized, table, fit);
    QObject::connect(table->horizontalHeader(), &QHeaderView::geometriesChanged, table, fit);
    QObject::connect(table->model(), &QAbstractItemModel::rowsInserted, table, fit);
    QObject::connect(table->model(), &QAbstractItemModel::rowsRemoved, table, fit);
    fit();
}

QBarSet *StatsFormat::newBarSet(const QString &label, const QColor &color)
{
    auto *set = new QBarSet(label);
    set->setColor(color);
    // The fill colour for the outline too: a dark outline around every thin bar of a 90-day
    // chart drowns the colour it frames.
    set->setBorderColor(color);
    return set;
}

QValueAxis *StatsFormat::newCountAxis()
{
    auto *axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setMinorTickCount(0);
    return axis;
}

// A count axis never reads "2.5 tickets", and an empty chart still has a sensible scale.
void StatsFormat::setCountRange(QValueAxis *axis, qint64 maximum)
{
    qint64 step = 1;
    for (qint64 magnitude = 1; maximum > 5 * step; magnitude *= 10) {
        for (qint64 factor : {1, 2, 5}) {
            step = factor * magnitude;
            if (maximum <= 5 * step)
                break;
        }
    }
    const qint64 top = std::max(step, (maximum + step - 1) / step * step);
    axis->setRange(0, qreal(top));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(qreal(step));
}

// A QChartView made by the .ui file holds an empty chart of its own, and setChart only releases
// it (Qt's documentation): without the delete, every statistics view would leak one.
void StatsFormat::installChart(QChartView *view, QChart *chart)
{
    QChart *placeholder = view->chart();
    view->setChart(chart);
    delete placeholder;
}

void StatsFormat::followPalette(QChart *chart, const QPalette &colours)
{
    chart->setBackgroundBrush(colours.base());
    chart->setBackgroundPen(QPen(colours.color(QPalette::Mid)));
    chart->setTitleBrush(colours.text());
    chart->legend()->setLabelColor(colours.color(QPalette::Text));
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        axis->setLabelsBrush(colours.text());
        axis->setTitleBrush(colours.text());
        axis->setLinePenColor(colours.color(QPalette::Mid));
        axis->setGridLineColor(colours.color(QPalette::Midlight));
    }
}
