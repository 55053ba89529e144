#pragma once

#include "warningbanner.h"

class QLabel;

namespace cpc::ui {

class Session;

/// The banner that says what of the session could not be set up (control plane, workspace
/// database, local state, secrets) and offers the profiles, where it is fixed.
class SetupNotice : public WarningBanner
{
    Q_OBJECT
public:
    explicit SetupNotice(QWidget *parent = nullptr);

    /// Shows the session's problems, or hides the banner when there are none.
    void showSession(const Session *session);

Q_SIGNALS:
    void profilesRequested();

private:
    QLabel *m_text;
};

} // namespace cpc::ui
