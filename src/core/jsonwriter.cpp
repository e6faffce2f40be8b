#include "jsonwriter.h"

#include <QLocale>

JsonWriter::JsonWriter()
{
    m_out.reserve(2048);
}

void JsonWriter::separate()
{
    if (m_needsComma)
        m_out.append(',');
    m_needsComma = true;
}

void JsonWriter::beginObject()
{
    separate();
    m_out.append('{');
    m_needsComma = false;
}

void JsonWriter::endObject()
{
    m_out.append('}');
    m_needsComma = true;
}

void JsonWriter::beginArray()
{
    separate();
    m_out.append('[');
    m_needsComma = false;
}

void JsonWriter::endArray()
{
    m_out.append(']');
    m_needsComma = true;
}

void JsonWriter::key(QLatin1String name)
{
    separate();
    writeEscaped(QByteArrayView(name.data(), name.size()));
    m_out.append(':');
    m_needsComma = false;
}

void JsonWriter::value(QStringView text)
{
    separate();
    writeEscaped(text.toUtf8());
}

void JsonWriter::value(QLatin1String text)
{
    value(QString(text));
}

void JsonWriter::value(qint64 number)
{
    separate();
    m_out.append(QByteArray::number(number));
}

void JsonWriter::value(double number)
{
    separate();
    if (!qIsFinite(number)) {
        m_out.append("null");
        return;
    }
    m_out.append(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
}

void JsonWriter::boolean(bool flag)
{
    separate();
    m_out.append(flag ? "true" : "false");
}

void JsonWriter::null()
{
    separate();
    m_out.append("null");
}

void JsonWriter::writeEscaped(QByteArrayView utf8)
{
    static constexpr char kHex[] = "0123456789abcdef";
    m_out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        // Bytes of multi-byte UTF-8 sequences are all >= 0x80 and pass through untouched.
        if (byte >= 0x20 && byte != '"' && byte != '\\')
            continue;
        m_out.append(utf8.sliced(runStart, i - runStart));
        runStart = i + 1;
        switch (byte) {
        case '"':
            m_out.append("\\\"");
            break;
        case '\\':
            m_out.append("\\\\");
            break;
        case '\n':
            m_out.append("\\n");
            break;
        case '\r':
            m_out.append("\\r");
            break;
        case '\t':
            m_out.append("\\t");
            break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
            m_out.append(escape, sizeof escape);
        }
        }
    }
    m_out.append(utf8.sliced(runStart));
    m_out.append('"');
}
