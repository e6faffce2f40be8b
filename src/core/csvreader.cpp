#include "csvreader.h"

static constexpr qint64 kChunkSize = 64 * 1024;

CsvReader::CsvReader(QIODevice *device)
    : m_device(device)
{}

bool CsvReader::fillBuffer()
{
    // The decoder holds back a character split across reads (and drops the BOM), so a chunk can
    // decode to nothing; callers rely on getting at least one character when this returns true.
    QString decoded;
    while (decoded.isEmpty()) {
        if (m_device->atEnd())
            return false;
        const QByteArray chunk = m_device->read(kChunkSize);
        if (chunk.isEmpty()) {
            if (!m_device->atEnd())
                m_deviceError = m_device->errorString();
            return false;
        }
        if (chunk.contains('\0')) {
            m_formatError = QStringLiteral("the file holds NUL bytes, so it is binary data or "
                                           "UTF-16 text, not UTF-8 CSV");
            return false;
        }
        decoded = m_decoder.decode(chunk);
        // Replacement characters would store the text changed; the user can convert the file.
        if (m_decoder.hasError()) {
            m_formatError = QStringLiteral("the file is not UTF-8 text (near line %1); save it "
                                           "as UTF-8 and import it again")
                                .arg(m_line);
            return false;
        }
    }
    m_buffer = m_buffer.mid(m_position) + decoded;
    m_position = 0;
    return true;
}

bool CsvReader::readRecord(Record *record)
{
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };

    record->fields.clear();
    record->error.clear();
    record->firstLine = m_line;

    State state = State::FieldStart;
    QString field;
    bool sawAnything = false;
    qsizetype characters = 0;
    bool tooLong = false;
    // Only a CR read outside quotes can be the first half of a CRLF line end.
    bool endsWithUnquotedCr = false;

    auto endField = [&] {
        if (!tooLong)
            record->fields.append(field);
        field.clear();
        endsWithUnquotedCr = false;
    };

    for (;;) {
        if (m_position >= m_buffer.size() && !fillBuffer())
            break;
        const QChar c = m_buffer.at(m_position++);
        sawAnything = true;
        // Past the limit the record is read to its end but nothing more of it is kept.
        if (++characters > kMaxRecordCharacters && !tooLong) {
            tooLong = true;
            record->fields.clear();
        }
        if (tooLong) {
            field.clear();
        }

        if (state == State::Quoted) {
            if (c == u'"')
                state = State::QuoteInQuoted;
            else {
                if (c == u'\n')
                    ++m_line;
                field.append(c);
            }
            continue;
        }
        if (state == State::QuoteInQuoted) {
            if (c == u'"') {
                field.append(c);
                state = State::Quoted;
                continue;
            }
            state = State::Unquoted; // text after a closing quote is kept, as spreadsheets do
        }
        if (c == u',') {
            endField();
            state = State::FieldStart;
        } else if (c == u'\n') {
            ++m_line;
            if (endsWithUnquotedCr)
                field.chop(1);
            endField();
            if (tooLong)
                reportTooLong(record);
            return true;
        } else if (c == u'"' && state == State::FieldStart) {
            state = State::Quoted;
        } else {
            field.append(c);
            state = State::Unquoted;
            endsWithUnquotedCr = c == u'\r';
        }
    }

    if (!sawAnything)
        return false;
    if (state == State::Quoted)
        record->error = QStringLiteral("a quoted field starting on line %1 is never closed")
                            .arg(record->firstLine);
    if (endsWithUnquotedCr)
        field.chop(1);
    endField();
    if (tooLong)
        reportTooLong(record);
    return true;
}

void CsvReader::reportTooLong(Record *record)
{
    record->fields.clear();
    record->error = QStringLiteral("the record starting on line %1 is longer than %2 characters")
                        .arg(record->firstLine)
                        .arg(kMaxRecordCharacters);
}
