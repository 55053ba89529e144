#pragma once

#include "cpclient.h"

#include <QByteArray>

/// Decoding of CP answers, separate from the transport so that it can be fuzzed and tested on
/// its own. Messages carry no "<call> failed" prefix (CpClient adds it), never a response body
/// (stop's 512-byte excerpt aside), and pass through the redactor.
namespace cpc::decode {

/// Text from a server made fit for a one-line message: valid UTF-8, no control characters,
/// at most maxChars, every registered secret removed before anything is cut. rawWasCut: raw is
/// the start of a longer body, so what its end holds of a secret is masked too.
QString sanitizeServerText(const QByteArray &raw, int maxChars, bool rawWasCut = false);

/// Exactly 201 with a string instance_id. Another status: Kind::HttpStatus with the structured
/// "error" field or "<unstructured body, N bytes>". A 201 that does not decode: Kind::Decode.
Result<ProvisionResult> provision(int status, const QByteArray &body);
/// Any 2xx. Otherwise Kind::HttpStatus with the first 512 bytes of the body as the message,
/// or for an HTML error page its title and server, with the page's text in Error::details;
/// `truncated`: the body went on past them (and was not read).
VoidResult stop(int status, const QByteArray &body, bool truncated = false);
/// 2xx with a string "state": running or not running. Anything else: Unknown with the error
/// (an HTML error page says its title and server).
StatusResult status(int status, const QByteArray &body);
/// 2xx with a string "output". The output passes the redactor.
Result<ConsoleOutput> console(int status, const QByteArray &body);

} // namespace cpc::decode
