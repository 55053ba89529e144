#pragma once

#include "statestore.h"

#include <QHash>
#include <QObject>
#include <QThread>
#include <QTimer>

namespace cpc::ui {

class StatusHistoryWriter;

/// Writes status transitions to the status history without ever making the event loop wait
/// for the disk: samples are collected for a short while and handed in one batch to a writer
/// thread with its own connection to the state file. Until a batch is on disk its samples are
/// still answered by samples(), so the details pane never misses a transition.
class StatusRecorder : public QObject
{
    Q_OBJECT
public:
    /// Writes into the file of `state` (through a second connection on a worker thread); without
    /// a file (null state) samples are only kept in memory.
    explicit StatusRecorder(StateStore *state, QObject *parent = nullptr);
    ~StatusRecorder() override;

    void append(StatusSample sample);
    /// The history of a workspace: what is on disk plus what is not written yet, newest first.
    QList<StatusSample> history(const QString &workspaceId, int limit) const;
    /// Samples not on disk yet (queued or being written).
    int pending() const { return m_pendingCount; }
    /// Blocks until everything appended so far is on disk (shutdown, tests).
    void flush();

Q_SIGNALS:
    /// Samples of these workspaces reached the store.
    void written(const QStringList &workspaceIds);

private:
    void ship();
    void onBatchWritten(quint64 seq);

    StateStore *m_state;
    QThread m_thread;
    StatusHistoryWriter *m_writer = nullptr;
    QTimer m_ship;
    QList<StatusSample> m_queue; ///< not shipped yet
    QHash<quint64, QList<StatusSample>> m_inFlight; ///< shipped, not confirmed
    quint64 m_nextSeq = 1;
    int m_pendingCount = 0;
};

} // namespace cpc::ui
