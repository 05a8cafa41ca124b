// A small libcurl client for the Hub: GET into memory (API calls) and GET into a file with an
// optional byte-range start (downloads that resume). Never throws for HTTP status codes (callers
// map them to messages), only reports failures in `error`.
//
// Redirects are followed here, hop by hop, not by libcurl, so that every hop can be checked:
// only http(s) targets, never from https down to plain http (RedirectRefusal), the Authorization
// header only to the origin of the first URL (a CDN must never see the Hub token), and the Hub's
// own X-Linked-* headers (sent on its redirect, absent at the CDN) survive to the caller.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace scale::models {

struct HttpResponse {
  long status = 0;          // final HTTP status after redirects; 0 when no response arrived
  std::string body;         // for Get: the body; for Download: the body of a non-2xx answer (capped)
  std::string error;        // failure (DNS, refused, dropped mid-body, refused redirect); empty when none
  bool redirect_refused = false;  // `error` explains a redirect that was not followed (RedirectRefusal)
  bool bad_range = false;   // Download: a 2xx whose Content-Range does not fit the request (see HttpDownload)
  std::string content_range;// Content-Range of the final response, if any
  // X-Linked-Etag (the Hub's SHA-256 of an LFS file, quotes and W/ removed) and X-Linked-Size, from
  // the first response in the redirect chain that has them: the Hub's, never a CDN's.
  std::string linked_etag;
  int64_t linked_size = -1;
  int64_t content_length = -1;  // of the final response
  std::string effective_url;
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; Authorization goes to the first URL's origin only
  long connect_timeout_s = 30;
  // A transfer that moves under 1 byte/s for this long is abandoned (stalled mirror, dead link).
  long stall_timeout_s = 60;
  int max_redirects = 10;
};

// Why a redirect from `from` to `to` must not be followed, or "" when it may: the target is not
// http(s) or cannot be parsed, or it drops from https to http (the rest of the transfer, and what
// it tells us about the file, would no longer be protected).
std::string RedirectRefusal(const std::string& from, const std::string& to);

// GET into memory; bodies over max_bytes end the transfer with an error.
HttpResponse HttpGet(const HttpRequest& request, size_t max_bytes = 64u << 20);

// GET appending to `file` (opened for update by the caller, positioned at `offset`). When offset > 0
// a Range header asks for the rest.
// - 200 to a range request: the server sends the whole file, so the file is truncated and
//   rewritten from byte 0 (the caller sees status 200).
// - 206: its Content-Range must read "bytes OFFSET-END/TOTAL" with TOTAL equal to `expected_total`
//   (when >= 0). Anything else (another start, another total, no Content-Range, multipart) ends
//   the transfer before a byte is written, with bad_range set and `error` saying what came.
// - More than `expected_total` bytes in all (when >= 0) ends the transfer with an error: a mirror
//   cannot fill the disk.
// Body bytes of a non-2xx answer never reach the file. `on_progress(bytes_received_this_transfer,
// expected_total_this_transfer)` returns false to abort (error "cancelled").
HttpResponse HttpDownload(const HttpRequest& request, std::FILE* file, uint64_t offset, int64_t expected_total,
                          const std::function<bool(uint64_t, int64_t)>& on_progress = {});

// Percent-encodes everything but unreserved characters; keep_slash leaves '/' as is (paths).
std::string UrlEncode(const std::string& text, bool keep_slash);

}  // namespace scale::models
