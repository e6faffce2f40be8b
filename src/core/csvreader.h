#pragma once

#include <QIODevice>
#include <QStringDecoder>
#include <QStringList>

// Streams RFC 4180 records (quoted fields may hold commas, quotes and newlines) from UTF-8 input.
// Input that is not UTF-8 text (other encodings, binary data) stops it with formatError(); a
// record longer than kMaxRecordCharacters is skipped whole and reported, never held in memory.
class CsvReader final
{
public:
    static constexpr qsizetype kMaxRecordCharacters = 1024 * 1024;

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
    // Why the input is no CSV text at all, if reading stopped because of that.
    QString formatError() const { return m_formatError; }

private:
    bool fillBuffer();
    static void reportTooLong(Record *record);

    QIODevice *m_device;
    // Strips a leading byte order mark, as spreadsheet exports write one.
    QStringDecoder m_decoder{QStringDecoder::Utf8};
    QString m_buffer;
    qsizetype m_position = 0;
    qint64 m_line = 1;
    QString m_deviceError;
    QString m_formatError;
};
