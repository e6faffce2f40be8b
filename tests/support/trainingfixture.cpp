#include "trainingfixture.h"

#include "categorymapping.h"
#include "csvreader.h"
#include "datasetcsvformat.h"

#include <QFile>

QString TrainingFixture::path()
{
    return QStringLiteral(SC_FIXTURES_DIR "/training-tickets.csv");
}

QList<TrainingExample> TrainingFixture::examples()
{
    QFile file(path());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path()));
    CsvReader reader(&file);
    CsvReader::Record record;
    reader.readRecord(&record);
    const DatasetCsvFormat format(record.fields);
    QList<TrainingExample> examples;
    while (reader.readRecord(&record)) {
        const auto row = format.draftFromRow(record.fields);
        if (!row.isValid() || !row.value.dataset)
            continue;
        const auto category = CategoryMapping::categoryForQueue(row.value.dataset->queue);
        if (category)
            examples.append({row.value.text(), *category, false});
    }
    return examples;
}
