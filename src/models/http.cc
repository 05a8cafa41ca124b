#include "models/http.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include "util/text.h"

namespace scale::models {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// scheme, host and port of a URL (lowercase; the port filled in from the scheme when absent).
struct Origin {
  std::string scheme, host, port;
  bool operator==(const Origin& o) const { return scheme == o.scheme && host == o.host && port == o.port; }
};

bool ParseOrigin(const std::string& url, Origin* out) {
  CURLU* u = curl_url();
  if (!u) return false;
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  auto part = [&](CURLUPart which, unsigned flags, std::string* into) {
    char* value = nullptr;
    if (ok && curl_url_get(u, which, &value, flags) == CURLUE_OK && value) {
      *into = Lower(value);
    } else {
      ok = false;
    }
    curl_free(value);
  };
  part(CURLUPART_SCHEME, 0, &out->scheme);
  part(CURLUPART_HOST, 0, &out->host);
  part(CURLUPART_PORT, CURLU_DEFAULT_PORT, &out->port);
  curl_url_cleanup(u);
  return ok;
}

struct Transfer {
  HttpResponse* response = nullptr;
  std::FILE* file = nullptr;  // null for in-memory GETs
  uint64_t offset = 0;
  int64_t expected_total = -1;
  uint64_t position = 0;      // where the next body byte lands in `file`
  size_t max_bytes = 0;
  bool too_large = false;
  bool overflow = false;
  bool checked_start = false; // the current response's first body byte was vetted
  long current_status = 0;    // status of the response whose headers are being read
  std::function<bool(uint64_t, int64_t)> on_progress;
  bool cancelled = false;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  // Every response (each redirect hop, a 100 Continue) starts with a status line. What describes
  // the body is reset; the Hub's X-Linked-* values are kept from the first response that has them.
  if (line.rfind("HTTP/", 0) == 0) {
    size_t sp = line.find(' ');
    t->current_status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
    t->response->content_range.clear();
    t->checked_start = false;
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = Lower(line.substr(0, colon));
  std::string value = Trim(line.substr(colon + 1));
  if (name == "content-range") t->response->content_range = value;
  if (name == "x-linked-etag" && t->response->linked_etag.empty()) {
    if (value.rfind("W/", 0) == 0) value = value.substr(2);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    t->response->linked_etag = Lower(value);
  }
  if (name == "x-linked-size" && t->response->linked_size < 0) {
    char* end = nullptr;
    long long v = std::strtoll(value.c_str(), &end, 10);
    if (end != value.c_str() && *end == '\0' && v >= 0) t->response->linked_size = v;
  }
  return size * n;
}

// "bytes START-END/TOTAL" (TOTAL may be "*"). False when it does not parse.
bool ParseContentRange(const std::string& value, int64_t* start, int64_t* end, int64_t* total) {
  long long s = -1, e = -1;
  char tail[32] = {0};
  if (std::sscanf(value.c_str(), "bytes %lld-%lld/%31s", &s, &e, tail) != 3 || s < 0 || e < s) return false;
  *start = s, *end = e, *total = -1;
  if (std::string(tail) == "*") return true;
  char* stop = nullptr;
  long long t = std::strtoll(tail, &stop, 10);
  if (stop == tail || *stop != '\0' || t <= e) return false;
  *total = t;
  return true;
}

// Called before the first body byte of a 2xx response is written: is it the part we asked for?
bool AcceptStart(Transfer* t) {
  HttpResponse& r = *t->response;
  if (t->current_status == 206) {
    int64_t start = 0, end = 0, total = 0;
    std::string why;
    if (!ParseContentRange(r.content_range, &start, &end, &total)) {
      why = r.content_range.empty() ? "without a Content-Range" : "with Content-Range '" + r.content_range + "'";
    } else if (uint64_t(start) != t->offset) {
      why = "starting at byte " + std::to_string(start);
    } else if (t->expected_total >= 0 && total >= 0 && total != t->expected_total) {
      why = "for a file of " + std::to_string(total) + " bytes, not " + std::to_string(t->expected_total);
    }
    if (!why.empty()) {
      r.bad_range = true;
      r.error = "the server answered a request for bytes " + std::to_string(t->offset) + "- with a 206 " + why;
      return false;
    }
    t->position = t->offset;
    return true;
  }
  // The server ignored our Range (or there was none): it is sending the whole file from byte 0.
  if (t->offset > 0) {
    std::fflush(t->file);
    if (ftruncate(fileno(t->file), 0) != 0 || std::fseek(t->file, 0, SEEK_SET) != 0) return false;
  }
  t->position = 0;
  return true;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  bool success = t->current_status >= 200 && t->current_status < 300;
  if (!t->file || !success) {
    if (t->response->body.size() + bytes > t->max_bytes) {
      t->too_large = true;
      return 0;  // aborts the transfer
    }
    t->response->body.append(data, bytes);
    return bytes;
  }
  if (!t->checked_start) {
    t->checked_start = true;
    if (!AcceptStart(t)) return 0;
  }
  if (t->expected_total >= 0 && t->position + bytes > uint64_t(t->expected_total)) {
    t->overflow = true;
    return 0;
  }
  size_t written = std::fwrite(data, 1, bytes, t->file);
  t->position += written;
  return written;
}

int OnProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->on_progress && !t->on_progress(uint64_t(dlnow), dltotal > 0 ? int64_t(dltotal) : -1)) {
    t->cancelled = true;
    return 1;
  }
  return 0;
}

bool IsRedirect(long status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

bool IsAuthorization(const std::string& header) { return Lower(header).rfind("authorization:", 0) == 0; }

// The request headers for one hop: credentials only while we are still talking to the first origin.
curl_slist* HeadersFor(const HttpRequest& request, bool same_origin) {
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) {
    if (same_origin || !IsAuthorization(h)) headers = curl_slist_append(headers, h.c_str());
  }
  return headers;
}

void SetCommonOptions(CURL* curl, const HttpRequest& request, Transfer& t, char* errbuf) {
  // Only http(s), and redirects are ours to follow (see the header).
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "scale/" SCALE_VERSION);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
}

std::string TransportError(const Transfer& t, CURLcode rc, const char* errbuf) {
  if (!t.response->error.empty()) return t.response->error;  // set by a callback (bad range)
  if (t.cancelled) return "cancelled";
  if (t.too_large) return "response too large";
  if (t.overflow) return "the server sent more than the " + std::to_string(t.expected_total) + " bytes the file has";
  return errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
}

HttpResponse Perform(const HttpRequest& request, Transfer& t) {
  GlobalInit();
  HttpResponse response;
  t.response = &response;
  CURL* curl = curl_easy_init();
  if (!curl) {
    response.error = "could not start libcurl";
    return response;
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  SetCommonOptions(curl, request, t, errbuf);
  std::string range;
  if (t.file && t.offset > 0) {
    range = std::to_string(t.offset) + "-";
    curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  }
  Origin first;
  bool first_parsed = ParseOrigin(request.url, &first);
  std::string url = request.url;
  for (int hop = 0;; ++hop) {
    Origin here;
    bool same_origin = first_parsed && ParseOrigin(url, &here) && here == first;
    curl_slist* headers = HeadersFor(request, same_origin);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    response.body.clear();
    errbuf[0] = '\0';
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_off_t length = -1;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    response.content_length = length;
    response.effective_url = url;
    if (rc != CURLE_OK) {
      response.error = TransportError(t, rc, errbuf);
      break;
    }
    char* next = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &next);
    if (!IsRedirect(response.status) || !next) break;
    std::string target = next;
    std::string why = RedirectRefusal(url, target);
    if (why.empty() && hop + 1 > request.max_redirects) why = "more than " + std::to_string(request.max_redirects) + " redirects";
    if (!why.empty()) {
      response.error = why;
      response.redirect_refused = true;
      break;
    }
    url = target;
  }
  curl_easy_cleanup(curl);
  if (t.file) std::fflush(t.file);
  return response;
}

}  // namespace

std::string RedirectRefusal(const std::string& from, const std::string& to) {
  Origin a, b;
  if (!ParseOrigin(to, &b)) return "refusing a redirect to an unusable URL (" + to + ")";
  if (b.scheme != "http" && b.scheme != "https") return "refusing a redirect to a " + b.scheme + ": URL (" + to + ")";
  if (ParseOrigin(from, &a) && a.scheme == "https" && b.scheme == "http") {
    return "refusing a redirect from https to unencrypted http (" + to + ")";
  }
  return "";
}

HttpResponse HttpGet(const HttpRequest& request, size_t max_bytes) {
  Transfer t;
  t.max_bytes = max_bytes;
  return Perform(request, t);
}

HttpResponse HttpDownload(const HttpRequest& request, std::FILE* file, uint64_t offset, int64_t expected_total,
                          const std::function<bool(uint64_t, int64_t)>& on_progress) {
  Transfer t;
  t.file = file;
  t.offset = offset;
  t.expected_total = expected_total;
  t.max_bytes = 64 << 10;  // error pages only
  t.on_progress = on_progress;
  return Perform(request, t);
}

std::string UrlEncode(const std::string& text, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace scale::models
