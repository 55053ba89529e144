#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace cpc::ui {

/// The find bar under the console: a query field with case and regular-expression toggles,
/// previous / next buttons and a match count ("3 of 17"). Enter finds the next match,
/// Shift+Enter the previous one, Esc closes the bar. An invalid regular expression is shown as
/// an error in the bar. The bar only reports what the reader asks for; the viewer searches.
class ConsoleFindBar : public QWidget
{
    Q_OBJECT
public:
    explicit ConsoleFindBar(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    bool caseSensitive() const;
    void setCaseSensitive(bool on);
    bool isRegex() const;
    void setRegex(bool on);

    /// Focuses the query field with its text selected.
    void focusQuery();
    /// current is 0-based, -1 for none.
    void showResult(int current, int total, bool capped);
    void showError(const QString &message);
    void showIdle();

    QString statusText() const;
    bool isErrorShown() const { return m_error; }
    QLineEdit *lineEdit() const { return m_edit; }
    QToolButton *caseButton() const { return m_case; }
    QToolButton *regexButton() const { return m_regex; }

Q_SIGNALS:
    void queryChanged();
    void nextRequested();
    void previousRequested();
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setFieldState(bool bad);
    void setStatusError(bool error);

    QLineEdit *m_edit;
    QToolButton *m_case;
    QToolButton *m_regex;
    QToolButton *m_prev;
    QToolButton *m_next;
    QToolButton *m_close;
    QLabel *m_status;
    bool m_error = false;
    bool m_fieldBad = false;
    bool m_statusError = false;
};

} // namespace cpc::ui
