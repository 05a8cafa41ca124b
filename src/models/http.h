// A small libcurl client for the Hub: GET into memory (API calls) and GET into a file with an
// optional byte-range start (downloads that resume). Follows redirects; never throws for HTTP
// status codes (callers map them to messages), only reports transport failures in `error`.
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
  std::string error;        // transport failure (DNS, refused, dropped mid-body); empty when none
  std::string content_range;// Content-Range of the final response, if any
  std::string linked_etag;  // X-Linked-Etag (the Hub's sha256 of an LFS file), quotes removed
  int64_t content_length = -1;
  std::string effective_url;
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  long connect_timeout_s = 30;
  // A transfer that moves under 1 byte/s for this long is abandoned (stalled mirror, dead link).
  long stall_timeout_s = 60;
};

// GET into memory; bodies over max_bytes end the transfer with an error.
HttpResponse HttpGet(const HttpRequest& request, size_t max_bytes = 64u << 20);

// GET appending to `file` (opened "r+b"/"ab" by the caller, positioned at `offset`). When offset > 0
// a Range header asks for the rest. If the server answers 200 to a range request, the file is
// truncated and rewritten from byte 0 (the caller sees status 200). Body bytes of a non-2xx answer
// never reach the file. `on_progress(bytes_received_this_transfer, expected_total_this_transfer)`
// returns false to abort (error "cancelled").
HttpResponse HttpDownload(const HttpRequest& request, std::FILE* file, uint64_t offset,
                          const std::function<bool(uint64_t, int64_t)>& on_progress = {});

// Percent-encodes everything but unreserved characters; keep_slash leaves '/' as is (paths).
std::string UrlEncode(const std::string& text, bool keep_slash);

}  // namespace scale::models
