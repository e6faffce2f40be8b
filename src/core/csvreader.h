#pragma once

#include <QIODevice>
#include <QStringDecoder>
#include <QStringList>

// Streams RFC 4180 records (quoted fields may hold commas, quotes and newlines) from UTF-8 input.
class CsvReader final
{
public:
    struct Record
    {
        QStringList fields;
        qint64 firstLine = 0;
        // Set when the record is malformed, e.g. a quoted field that never closes.
        QString error;
    };

    explicit CsvReader(QIODevice *device);
    Q_DISABLE_COPY_MOVE(CsvReader)

    // Returns false at the end of the input.
    bool readRecord(Record *record);

    // The device's read error, if reading stopped because of one.
    QString deviceError() const { return m_deviceError; }

private:
    bool fillBuffer();

    QIODevice *m_device;
    // Strips a leading byte order mark, as spreadsheet exports write one.
    QStringDecoder m_decoder{QStringDecoder::Utf8};
    QString m_buffer;
    qsizetype m_position = 0;
    qint64 m_line = 1;
    QString m_deviceError;
};
