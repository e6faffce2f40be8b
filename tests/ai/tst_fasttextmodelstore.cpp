#include "fasttextclassifier.h"
#include "fasttextmodelstore.h"
#include "learnedmodelrepository.h"
#include "learnedmodelstore.h"
#include "temporarydatabase.h"
#include "trainingfixture.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

// The upgrade from v0.3's model files beside a real SQLite database, read back as the program
// reads its learned model.
class TestFastTextModelStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyDatabaseHasNoModel();
    void importsVersion03FilesIntoAnEmptyDatabase();
    void importNeverReplacesAStoredModel();
    void brokenVersion03FilesAreReportedNotImported();

private:
    QString metadataPath() const { return m_temporary->path() + u".fasttext.json"_s; }
    qsizetype storedModels() const;

    std::unique_ptr<TemporaryDatabase> m_temporary;
};

void TestFastTextModelStore::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
}

void TestFastTextModelStore::cleanup()
{
    m_temporary.reset();
}

qsizetype TestFastTextModelStore::storedModels() const
{
    return LearnedModelRepository(m_temporary->database())
        .list(LearnedModel::Slot::Classifier)
        .size();
}

void TestFastTextModelStore::emptyDatabaseHasNoModel()
{
    // Nothing beside the database to import: nothing to say, and still no model.
    QCOMPARE(FastTextModelStore(m_temporary->database()).importVersion03Files(), QString());
    const LearnedModelStore models(m_temporary->database());
    QCOMPARE(models.activeModelId(), 0);
    QString error;
    qint64 id = -1;
    QVERIFY(!models.load(&error, &id));
    QCOMPARE(id, 0);
    QVERIFY2(error.contains(u"no learned model"_s), qPrintable(error));
}

void TestFastTextModelStore::importsVersion03FilesIntoAnEmptyDatabase()
{
    QString error;
    const QString name = TrainingFixture::writeVersion03Files(m_temporary->path(), &error);
    QVERIFY2(!name.isEmpty(), qPrintable(error));
    const std::unique_ptr<FastTextClassifier> fromFiles =
        FastTextClassifier::load(metadataPath(), &error);
    QVERIFY2(fromFiles, qPrintable(error));

    const FastTextModelStore store(m_temporary->database());
    const QString message = store.importVersion03Files();
    QVERIFY2(message.contains(name) && message.contains(u"Imported"_s), qPrintable(message));

    // The bytes as v0.3 wrote them, and a model that answers exactly as the files did.
    const std::optional<LearnedModel> stored =
        LearnedModelRepository(m_temporary->database()).active(LearnedModel::Slot::Classifier);
    QVERIFY(stored);
    QFile modelFile(m_temporary->folder() + u'/' + fromFiles->info().modelFile);
    QVERIFY(modelFile.open(QIODevice::ReadOnly));
    QVERIFY(stored->model == modelFile.readAll());
    const std::unique_ptr<LocalClassifier> fromDatabase =
        LearnedModelStore(m_temporary->database()).load(&error);
    QVERIFY2(fromDatabase, qPrintable(error));
    QCOMPARE(fromDatabase->modelName(), name);
    const auto *fastText = dynamic_cast<const FastTextClassifier *>(fromDatabase.get());
    QVERIFY(fastText);
    QVERIFY(fastText->info().modelFile.isEmpty());
    for (const TrainingExample &example : TrainingFixture::examples()) {
        const Prediction expected = fromFiles->predict(example.text);
        const Prediction actual = fromDatabase->predict(example.text);
        QCOMPARE(actual.category, expected.category);
        QCOMPARE(actual.confidence, expected.confidence);
    }

    // The files stay (an older program may still use them); the next start does nothing.
    QVERIFY(QFile::exists(metadataPath()));
    QCOMPARE(store.importVersion03Files(), QString());
    QCOMPARE(storedModels(), 1);
}

void TestFastTextModelStore::importNeverReplacesAStoredModel()
{
    QString error;
    const TrainingFixture::StoredFastTextModel stored = TrainingFixture::storeFastTextModel(
        m_temporary->database(), &error, TrainingFixture::examples(),
        QDateTime(QDate(2027, 1, 2), QTime(3, 4), Qt::UTC));
    QVERIFY2(stored.id != 0, qPrintable(error));
    QVERIFY2(!TrainingFixture::writeVersion03Files(m_temporary->path(), &error).isEmpty(),
             qPrintable(error));

    QCOMPARE(FastTextModelStore(m_temporary->database()).importVersion03Files(), QString());
    QCOMPARE(storedModels(), 1);
    const LearnedModelStore models(m_temporary->database());
    QCOMPARE(models.activeModelId(), stored.id);
    QCOMPARE(models.load(&error)->modelVersion(), u"20270102-030400"_s);
}

void TestFastTextModelStore::brokenVersion03FilesAreReportedNotImported()
{
    QFile metadata(metadataPath());
    QVERIFY(metadata.open(QIODevice::WriteOnly));
    metadata.write("{ not json");
    metadata.close();
    const FastTextModelStore store(m_temporary->database());
    const QString message = store.importVersion03Files();
    QVERIFY2(message.contains(u"not imported"_s), qPrintable(message));
    QCOMPARE(storedModels(), 0);
}

QTEST_GUILESS_MAIN(TestFastTextModelStore)
#include "tst_fasttextmodelstore.moc"
