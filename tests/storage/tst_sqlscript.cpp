#include "sqlscript.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSqlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_data();
    void split();
};

void TestSqlScript::split_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");

    QTest::newRow("two statements")
        << u"CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);"_s
        << QStringList{u"CREATE TABLE a (x INT)"_s, u"CREATE TABLE b (y INT)"_s};
    QTest::newRow("no trailing semicolon") << u"SELECT 1"_s << QStringList{u"SELECT 1"_s};
    QTest::newRow("blank and comment only") << u"  -- nothing; here\n ;; \n"_s << QStringList{};
    QTest::newRow("semicolon in string") << u"INSERT INTO t VALUES ('a;b', 'it''s');"_s
                                         << QStringList{u"INSERT INTO t VALUES ('a;b', 'it''s')"_s};
    QTest::newRow("semicolon in quoted identifier")
        << u"SELECT 1 AS \"x;y\";"_s << QStringList{u"SELECT 1 AS \"x;y\""_s};
    QTest::newRow("semicolon in comment")
        << u"SELECT 1; -- a; b\nSELECT 2;"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
    QTest::newRow("sqlite trigger body")
        << u"CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  UPDATE b SET y = 1;\n  DELETE FROM c;\nEND;\nSELECT 3;"_s
        << QStringList{
               u"CREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n  UPDATE b SET y = 1;\n  DELETE FROM c;\nEND"_s,
               u"SELECT 3"_s};
    QTest::newRow("trigger with case")
        << u"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET y = CASE WHEN 1 THEN 2 END; END;"_s
        << QStringList{
               u"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET y = CASE WHEN 1 THEN 2 END; END"_s};
    QTest::newRow("begin outside a trigger is a statement")
        << u"BEGIN; SELECT 1; COMMIT;"_s << QStringList{u"BEGIN"_s, u"SELECT 1"_s, u"COMMIT"_s};
    QTest::newRow("postgres dollar quoting")
        << u"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;\nSELECT 1;"_s
        << QStringList{
               u"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql"_s,
               u"SELECT 1"_s};
    QTest::newRow("tagged dollar quoting")
        << u"SELECT $tag$ a; $$ b $tag$;"_s << QStringList{u"SELECT $tag$ a; $$ b $tag$"_s};
    QTest::newRow("identifier containing end")
        << u"CREATE TABLE t (ending INT, backend INT); SELECT 1;"_s
        << QStringList{u"CREATE TABLE t (ending INT, backend INT)"_s, u"SELECT 1"_s};
}

void TestSqlScript::split()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QCOMPARE(SqlScript::split(script), statements);
}

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
