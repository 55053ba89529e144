#include "statushistorywriter.h"

#include "logging.h"

namespace cpc::ui {

StatusHistoryWriter::StatusHistoryWriter(QString statePath)
    : m_path(std::move(statePath))
{
}

StatusHistoryWriter::~StatusHistoryWriter() = default;

void StatusHistoryWriter::open()
{
    auto s = StateStore::open(m_path);
    if (s)
        m_store = std::move(s.value());
    else
        qCWarning(lcUi).noquote() << "status history: cannot open the state file:"
                                  << s.error().message;
}

void StatusHistoryWriter::write(quint64 seq, const QList<StatusSample> &samples)
{
    // One transaction per batch: one sync to disk for a sweep's worth of answers.
    if (m_store) {
        if (const auto r = m_store->appendStatuses(samples); !r)
            qCWarning(lcUi).noquote() << "status history write failed:" << r.error().message;
    }
    Q_EMIT batchWritten(seq);
}

} // namespace cpc::ui
