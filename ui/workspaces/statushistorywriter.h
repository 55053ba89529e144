#pragma once

#include "statestore.h"

#include <QObject>

#include <memory>

namespace cpc::ui {

/// Lives on StatusRecorder's thread: its own connection to the local state file (SQLite
/// connections belong to the thread that opens them) and the inserts, each of which may wait
/// for the disk. Only StatusRecorder talks to it, through queued calls.
class StatusHistoryWriter : public QObject
{
    Q_OBJECT
public:
    explicit StatusHistoryWriter(QString statePath);
    ~StatusHistoryWriter() override;

    /// Opens the store on the calling (worker) thread.
    void open();
    /// Writes one batch; reports it with batchWritten(seq) even when a write failed (logged).
    void write(quint64 seq, const QList<StatusSample> &samples);

Q_SIGNALS:
    void batchWritten(quint64 seq);

private:
    QString m_path;
    std::unique_ptr<StateStore> m_store;
};

} // namespace cpc::ui
