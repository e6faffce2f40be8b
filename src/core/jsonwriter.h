#pragma once

#include <QByteArray>
#include <QLatin1String>
#include <QStringView>

// Writes compact UTF-8 JSON straight into a byte array. The API's hot responses (tickets and
// ticket pages) use it because building a QJsonObject and serialising it cost five times more
// than the database lookup behind the response.
class JsonWriter final
{
public:
    JsonWriter();

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();

    void key(QLatin1String name);
    void value(QStringView text);
    void value(QLatin1String text);
    void value(qint64 number);
    void value(double number);
    // Not an overload of value(): an int argument would be ambiguous between qint64 and bool.
    void boolean(bool flag);
    void null();

    QByteArray take() { return std::move(m_out); }

private:
    void separate();
    void writeEscaped(QByteArrayView utf8);

    QByteArray m_out;
    bool m_needsComma = false;
};
