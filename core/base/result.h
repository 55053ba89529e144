#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace cpc {

/// What went wrong with a call, in terms a caller can branch on. The message is always safe to
/// show: it never holds a response body (except stop's redacted 512-byte excerpt) or a secret.
struct Error
{
    enum class Kind {
        Transport, ///< connection refused, reset, dropped, TLS failure
        Timeout, ///< the overall deadline of the request passed
        HttpStatus, ///< the server answered with a status the call does not accept, or a
                    ///< redirect it does not follow (another origin, a loop)
        Decode, ///< the body was not what the contract says (bad JSON, missing field, too big)
        Policy, ///< refused before sending: invalid ID, plain http
        Cancelled, ///< the caller cancelled
        Database, ///< the workspace source or the local state failed
        Config, ///< configuration missing or malformed
        ReadOnly, ///< a write was refused because the session is read-only
        Conflict, ///< another operation holds the workspace, or the row moved on meanwhile
    };

    Kind kind = Kind::Transport;
    int httpStatus = 0; ///< 0 when no HTTP status was received
    QString message;
    /// A mutating call whose request may have been acted on although it failed (an attempt's
    /// answer was lost before a retry was refused): its outcome is unknown, not failed.
    bool mayHaveApplied = false;
    /// The longer text behind a short message, for a "Details" disclosure: an error page's text
    /// without markup (stop's excerpt). Sanitized and redacted like the message; may be empty.
    QString details {};

    static Error make(Kind k, QString msg, int status = 0)
    {
        return Error { k, status, std::move(msg) };
    }
    static QString kindName(Kind k);
    /// True for the failures a retry may cure: transport, timeout, 408, 429 and 5xx.
    bool isTransient() const;
};

/// Value or error, after Qt Creator's Result<T>.
template<typename T> class Result
{
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<0>(m_data); }
    T &value() { return std::get<0>(m_data); }
    const T &operator*() const { return value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

/// Result without a value.
struct Ok
{
};
using VoidResult = Result<Ok>;

} // namespace cpc
