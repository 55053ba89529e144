#include "workspaceloader.h"

#include "logging.h"

#include <QMutex>
#include <QPointer>
#include <QSemaphore>
#include <QThread>

#include <atomic>

namespace cpc {

namespace {
constexpr int kFirstBatch = 1000;
constexpr int kLargestBatch = 262144;
constexpr int kBatchesInFlight = 2;
} // namespace

/// One load: shared by the loader and its thread, so either may end first.
struct WorkspaceLoader::Run
{
    std::atomic<bool> cancelled { false };
    QSemaphore freeSlots { kBatchesInFlight };
    QMutex mutex;
    WorkspaceLoader *receiver = nullptr; ///< cleared under mutex when the loader lets go
    QPointer<QThread> thread; ///< touched on the loader's thread only

    /// Runs `f` on the receiver's thread, unless the receiver has let go of this run.
    template<typename F> void post(F f)
    {
        QMutexLocker lock(&mutex);
        if (receiver)
            QMetaObject::invokeMethod(receiver, std::move(f), Qt::QueuedConnection);
    }
    /// Waits for a free slot; false when the run was cancelled meanwhile.
    bool waitForSlot()
    {
        while (!cancelled.load()) {
            if (freeSlots.tryAcquire(1, 50))
                return true;
        }
        return false;
    }
};

WorkspaceLoader::WorkspaceLoader(QObject *parent)
    : QObject(parent)
{
}

WorkspaceLoader::~WorkspaceLoader()
{
    cancel();
}

void WorkspaceLoader::cancel()
{
    if (!m_run)
        return;
    std::shared_ptr<Run> run = std::move(m_run);
    run->cancelled = true;
    {
        QMutexLocker lock(&run->mutex);
        run->receiver = nullptr;
    }
    m_loading = false;
    // A thread blocked in the database ends when the database answers; it is not waited for
    // here (the window must not freeze on it), only given a moment at exit.
    if (QThread *t = run->thread; t && !t->wait(200))
        qCInfo(lcDb) << "a cancelled workspace load is still waiting for the database";
}

void WorkspaceLoader::start(Opener open, ListOptions options)
{
    cancel();
    auto run = std::make_shared<Run>();
    run->receiver = this;
    m_run = run;
    m_loading = true;
    m_loaded = 0;
    m_expected = -1;

    // Counted beside the read, through a connection of its own: a count of a million rows
    // is a pass over the table that the first rows need not wait for. (A copy of `open`: the
    // reading thread takes the original.)
    QThread *counter = QThread::create([run, open, options] {
        qint64 expected = -1;
        if (auto counting = open(); counting && !run->cancelled.load()) {
            if (const auto counted = counting.value()->count(options))
                expected = counted.value();
        }
        run->post([run, expected] {
            WorkspaceLoader *self = run->receiver;
            if (!self || self->m_run != run)
                return;
            self->m_expected = expected;
            Q_EMIT self->counted(expected);
            Q_EMIT self->progress(self->m_loaded, expected);
        });
    });
    counter->setObjectName(QStringLiteral("cpc-loader-count"));
    connect(counter, &QThread::finished, counter, &QObject::deleteLater);
    QThread *thread = QThread::create([run, open = std::move(open), options] {
        auto fail = [&](const QString &message) {
            run->post([run, message] {
                WorkspaceLoader *self = run->receiver;
                if (!self || self->m_run != run)
                    return;
                self->m_loading = false;
                Q_EMIT self->finished(false, message);
            });
        };
        auto opened = open();
        if (!opened) {
            fail(opened.error().message);
            return;
        }
        std::unique_ptr<WorkspaceSource> source = std::move(opened.value());
        int target = kFirstBatch;
        auto batch = std::make_shared<WorkspaceTable>(WorkspaceTable::forTransfer());
        batch->reserve(target);
        qint64 read = 0;
        auto deliver = [&]() -> bool {
            if (!run->waitForSlot())
                return false;
            std::shared_ptr<const WorkspaceTable> rows = std::move(batch);
            run->post([run, rows, read] {
                run->freeSlots.release();
                WorkspaceLoader *self = run->receiver;
                if (!self || self->m_run != run)
                    return;
                self->m_loaded = read;
                Q_EMIT self->batchReady(*rows);
                Q_EMIT self->progress(read, self->m_expected);
            });
            target = std::min(target * 2, kLargestBatch);
            batch = std::make_shared<WorkspaceTable>(WorkspaceTable::forTransfer());
            batch->reserve(target);
            return true;
        };
        const VoidResult scanned = source->scan(options, [&](const RawRow &raw) {
            if (run->cancelled.load())
                return false;
            batch->append(raw);
            ++read;
            return batch->size() < target || deliver();
        });
        if (run->cancelled.load())
            return;
        if (!scanned) {
            fail(scanned.error().message);
            return;
        }
        if (!batch->isEmpty() && !deliver())
            return;
        run->post([run, read] {
            WorkspaceLoader *self = run->receiver;
            if (!self || self->m_run != run)
                return;
            self->m_loading = false;
            self->m_loaded = read;
            self->m_run.reset();
            Q_EMIT self->finished(true, QString());
        });
    });
    run->thread = thread;
    thread->setObjectName(QStringLiteral("cpc-loader"));
    // The thread deletes itself when done; a cancelled one may outlive the loader.
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    counter->start();
}

} // namespace cpc
