// The CSV reader: any bytes end in records, a reported error or a format error, never a crash,
// and no record holds more than the reader's limit.
#include "csvreader.h"

#include <QBuffer>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    CsvReader::Record record;
    qint64 lastLine = 0;
    while (reader.readRecord(&record)) {
        qsizetype characters = 0;
        for (const QString &field : record.fields)
            characters += field.size();
        if (characters > CsvReader::kMaxRecordCharacters || record.firstLine <= lastLine)
            std::abort();
        lastLine = record.firstLine;
    }
    return 0;
}
