#include "models/http.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <mutex>

namespace scale::models {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  HttpResponse* response = nullptr;
  std::FILE* file = nullptr;  // null for in-memory GETs
  uint64_t offset = 0;
  size_t max_bytes = 0;
  bool truncated_for_200 = false;
  bool too_large = false;
  long current_status = 0;    // status of the response whose headers are being read
  std::function<bool(uint64_t, int64_t)> on_progress;
  bool cancelled = false;
};

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  // Every response in a redirect chain starts with a status line: reset what we collected.
  if (line.rfind("HTTP/", 0) == 0) {
    size_t sp = line.find(' ');
    t->current_status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
    t->response->content_range.clear();
    t->response->linked_etag.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  std::string value = Trim(line.substr(colon + 1));
  if (name == "content-range") t->response->content_range = value;
  if (name == "x-linked-etag") {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    t->response->linked_etag = value;
  }
  return size * n;
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
  // The server ignored our Range: it is sending the whole file, so start the file over.
  if (t->current_status == 200 && t->offset > 0 && !t->truncated_for_200) {
    std::fflush(t->file);
    if (ftruncate(fileno(t->file), 0) != 0 || std::fseek(t->file, 0, SEEK_SET) != 0) return 0;
    t->truncated_for_200 = true;
  }
  return std::fwrite(data, 1, bytes, t->file);
}

int OnProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->on_progress && !t->on_progress(uint64_t(dlnow), dltotal > 0 ? int64_t(dltotal) : -1)) {
    t->cancelled = true;
    return 1;
  }
  return 0;
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
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  std::string range;
  if (t.file && t.offset > 0) {
    range = std::to_string(t.offset) + "-";
    curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  // Only http(s): a redirect must not turn into file:// or anything else.
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
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

  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_off_t length = -1;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  response.content_length = length;
  char* url = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &url);
  if (url) response.effective_url = url;
  if (rc != CURLE_OK) {
    if (t.cancelled) {
      response.error = "cancelled";
    } else if (t.too_large) {
      response.error = "response too large";
    } else {
      response.error = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    }
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (t.file) std::fflush(t.file);
  return response;
}

}  // namespace

HttpResponse HttpGet(const HttpRequest& request, size_t max_bytes) {
  Transfer t;
  t.max_bytes = max_bytes;
  return Perform(request, t);
}

HttpResponse HttpDownload(const HttpRequest& request, std::FILE* file, uint64_t offset,
                          const std::function<bool(uint64_t, int64_t)>& on_progress) {
  Transfer t;
  t.file = file;
  t.offset = offset;
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
