#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;

// A form that stays open while whoever opened it stores what was entered, off the GUI thread:
// OK announces submitted() and waits, disabled so that a second click cannot submit twice, until
// finish() closes the form or showProblem() says why it was refused.
class SubmitFormDialog : public QDialog
{
    Q_OBJECT

public:
    Q_DISABLE_COPY_MOVE(SubmitFormDialog)

    void accept() override;
    void finish();
    void showProblem(const QString &problem);

Q_SIGNALS:
    void submitted();

protected:
    explicit SubmitFormDialog(QWidget *parent);
    // After setupUi(): the form's buttons, its OK button's label and the label for problems.
    void setUpSubmitting(QDialogButtonBox *buttons, const QString &okText, QLabel *problemLabel);
    // What the form checks itself before submitting; false after showing a problem stops it.
    virtual bool checkEntries() { return true; }

private:
    void setBusy(bool busy);

    QDialogButtonBox *m_buttons = nullptr;
    QLabel *m_problemLabel = nullptr;
};
