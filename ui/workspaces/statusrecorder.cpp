#include "statusrecorder.h"

#include "logging.h"
#include "statushistorywriter.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace cpc::ui {

namespace {
constexpr int kShipMs = 200;
constexpr int kMaxPending = 200'000; // past this the oldest unshipped samples are dropped, loudly
} // namespace

StatusRecorder::StatusRecorder(StateStore *state, QObject *parent)
    : QObject(parent)
    , m_state(state)
{
    m_ship.setSingleShot(true);
    m_ship.setInterval(kShipMs);
    connect(&m_ship, &QTimer::timeout, this, &StatusRecorder::ship);
    if (!m_state)
        return;
    m_thread.setObjectName(QStringLiteral("cpc-status-history"));
    m_writer = new StatusHistoryWriter(m_state->path());
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &StatusHistoryWriter::batchWritten, this, &StatusRecorder::onBatchWritten);
    m_thread.start(QThread::LowPriority);
    QMetaObject::invokeMethod(m_writer, &StatusHistoryWriter::open);
}

StatusRecorder::~StatusRecorder()
{
    if (m_writer) {
        blockSignals(true); // nobody should hear from a recorder being destroyed
        flush();
        m_thread.quit();
        m_thread.wait();
    }
}

void StatusRecorder::append(StatusSample sample)
{
    if (m_pendingCount >= kMaxPending && !m_queue.isEmpty()) {
        qCWarning(lcUi) << "status history backlog full; dropping the oldest unwritten sample";
        m_queue.removeFirst();
        --m_pendingCount;
    }
    m_queue.append(std::move(sample));
    ++m_pendingCount;
    if (m_writer && !m_ship.isActive())
        m_ship.start();
}

void StatusRecorder::ship()
{
    if (!m_writer || m_queue.isEmpty())
        return;
    const quint64 seq = m_nextSeq++;
    QList<StatusSample> batch;
    batch.swap(m_queue);
    m_inFlight.insert(seq, batch);
    QMetaObject::invokeMethod(m_writer, [w = m_writer, seq, batch] { w->write(seq, batch); });
}

void StatusRecorder::onBatchWritten(quint64 seq)
{
    const QList<StatusSample> batch = m_inFlight.take(seq);
    m_pendingCount -= int(batch.size());
    QSet<QString> ids;
    for (const StatusSample &s : batch)
        ids.insert(s.workspaceId);
    Q_EMIT written(QStringList(ids.cbegin(), ids.cend()));
}

void StatusRecorder::flush()
{
    if (!m_writer)
        return;
    ship();
    // An empty batch behind the others: when it is done, everything before it is on disk.
    QMetaObject::invokeMethod(
        m_writer, [] {}, Qt::BlockingQueuedConnection);
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall); // deliver batchWritten now
}

QList<StatusSample> StatusRecorder::history(const QString &workspaceId, int limit) const
{
    QList<StatusSample> out;
    for (const StatusSample &s : m_queue) {
        if (s.workspaceId == workspaceId)
            out.append(s);
    }
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it) {
        for (const StatusSample &s : it.value()) {
            if (s.workspaceId == workspaceId)
                out.append(s);
        }
    }
    if (m_state) {
        if (const auto h = m_state->statusHistory(workspaceId, limit); h) {
            // A sample may be both on disk and still in flight (written, not yet confirmed).
            for (const StatusSample &s : h.value()) {
                const bool dup = std::any_of(out.cbegin(), out.cend(), [&](const StatusSample &o) {
                    return o.at == s.at && o.state == s.state && o.detail == s.detail;
                });
                if (!dup)
                    out.append(s);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const StatusSample &a, const StatusSample &b) { return a.at > b.at; });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

} // namespace cpc::ui
