#pragma once

#include <QWidget>

class QPlainTextEdit;
class QToolButton;

namespace cpc::ui {

/// The longer text behind a short error message (the text of a proxy's error page, a stop's
/// excerpt): a "Details" toggle and, once opened, the text in a read-only box that can be
/// selected and copied. The message says what happened in one line; this is for whoever needs
/// the rest. Hidden when there is nothing beyond the message.
class ErrorDisclosure : public QWidget
{
    Q_OBJECT
public:
    explicit ErrorDisclosure(QWidget *parent = nullptr);

    /// `details` empty, or already said by `message`: hidden. A new text starts closed.
    void setDetails(const QString &details, const QString &message = {});
    QString details() const { return m_details; }
    bool isOpen() const { return m_open; }
    void setOpen(bool open);
    QToolButton *toggle() const { return m_toggle; }

private:
    QToolButton *m_toggle;
    QPlainTextEdit *m_text;
    QString m_details;
    bool m_open = false;
};

} // namespace cpc::ui
