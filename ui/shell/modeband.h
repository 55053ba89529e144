#pragma once

#include <QFrame>

class QLabel;

namespace cpc::ui {

class Session;

/// The band at the top that says where the engineer is, in words and colour: red
/// "PRODUCTION — <profile>", blue "DEMO — …", and an amber "READ-ONLY" marker. Hidden when
/// none applies.
class ModeBand : public QFrame
{
    Q_OBJECT

public:
    explicit ModeBand(QWidget *parent = nullptr);

    void setMode(bool production, bool demo, const QString &profile, const QString &detail,
                 bool readOnly, const QString &readOnlyWhy);
    /// The mode of `session` (none: hidden); the demo's line says how many workspaces it made.
    void showSession(const Session *session, int workspaceCount);
    QString text() const;
    bool showsReadOnly() const;

private:
    QLabel *m_label;
    QLabel *m_readOnly;
};

} // namespace cpc::ui
