#pragma once

#include <QObject>
#include <QString>

namespace cpc::ui {

class JournalBanner;
class Session;

/// The provision journal of the main window: loads the entries with an unknown outcome into
/// the journal banner and reconciles (asks the CP, same idempotency key) or clears the
/// selected ones, marking each entry's progress on the banner.
class JournalReconciler : public QObject
{
    Q_OBJECT
public:
    explicit JournalReconciler(JournalBanner *banner, QObject *parent = nullptr);

    void setSession(Session *session) { m_session = session; }
    /// Reads the unresolved entries of the session's state store again.
    void load();
    /// Reconciles the selected entries (all when none is selected); `clear` closes them
    /// without asking the CP.
    void reconcileSelected(bool clear);

Q_SIGNALS:
    /// The banner's entries changed (writes depend on whether any is left).
    void entriesChanged();
    /// The CP answered for an entry: `instanceId` is empty when it reports no instance.
    void reconciled(const QString &workspaceId, const QString &instanceId);
    void cleared(const QString &workspaceId);

private:
    JournalBanner *m_banner;
    Session *m_session = nullptr;
};

} // namespace cpc::ui
