#pragma once

#include <QByteArray>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

class QThread;

namespace cpc::test {

class StreamWorker;

/// A loopback HTTP server on a thread of its own that never finishes its answer: after the
/// status line it streams an endless body (chunked, or framed by the connection's close), or
/// endless header lines, writing more as the socket drains, until the client closes. Its own
/// thread keeps it streaming while the test's main thread is busy, as a real CP would.
class StreamServer
{
public:
    enum class Mode {
        Chunked, ///< Transfer-Encoding: chunked, chunks forever
        CloseDelimited, ///< no Content-Length, Connection: close, bytes forever
        HeaderFlood, ///< a status line, then header lines forever, as fast as they are read
        HeaderDrip, ///< a status line, then a header line every 20 ms, forever
    };

    /// `markAt`: the body size whose sending time markTime() reports (the client's cap).
    /// `redirectFirst`: answer a request for any other path with a same-origin 307 to
    /// /redirected first, so that the endless answer comes on the redirected request.
    StreamServer(Mode mode, int status, qint64 markAt, bool redirectFirst = false);
    ~StreamServer();
    StreamServer(const StreamServer &) = delete;
    StreamServer &operator=(const StreamServer &) = delete;

    QUrl baseUrl() const;
    /// Body bytes (or header bytes, in HeaderFlood) written to all connections so far.
    qint64 bytesSent() const { return m_state->sent.load(); }
    int requests() const { return m_state->requests.load(); }
    /// When the first connection's output first reached `markAt` bytes.
    std::optional<std::chrono::steady_clock::time_point> markTime() const;

    struct State
    {
        std::atomic<qint64> sent { 0 };
        std::atomic<int> requests { 0 };
        std::atomic<qint64> markNs { -1 }; ///< steady_clock nanoseconds, -1 until reached
    };

private:
    std::shared_ptr<State> m_state;
    QThread *m_thread;
    StreamWorker *m_worker;
    quint16 m_port = 0;
};

} // namespace cpc::test
