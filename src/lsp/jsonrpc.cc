#include "lsp/jsonrpc.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "util/text.h"

namespace scale::lsp {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A body larger than this is refused rather than buffered (a corrupt length would otherwise make
// the server wait for, or allocate, gigabytes).
constexpr size_t kMaxBody = 256u << 20;

}  // namespace

FrameReader::FrameReader(std::function<long(char*, size_t)> read_some) : read_some_(std::move(read_some)) {}

bool FrameReader::Fill() {
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {  // drop consumed bytes now and then
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  char buf[65536];
  long n = read_some_(buf, sizeof buf);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

FrameReader::Frame FrameReader::Next() {
  // Headers end at the first "\r\n\r\n"; a bare "\n\n" is accepted too (hand-written test input).
  size_t end = 0, sep = 0;
  for (;;) {
    size_t crlf = buffer_.find("\r\n\r\n", pos_);
    size_t lf = buffer_.find("\n\n", pos_);
    if (crlf != std::string::npos && (lf == std::string::npos || crlf <= lf)) {
      end = crlf, sep = 4;
      break;
    }
    if (lf != std::string::npos) {
      end = lf, sep = 2;
      break;
    }
    if (!Fill()) return {true, "", ""};
  }
  std::string headers = buffer_.substr(pos_, end - pos_);
  pos_ = end + sep;
  std::optional<size_t> length;
  std::string problem;
  size_t at = 0;
  while (at <= headers.size()) {
    size_t nl = headers.find('\n', at);
    std::string line = headers.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? headers.size() + 1 : nl + 1;
    line = Trim(line);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) {
      problem = "bad header line: " + line.substr(0, 80);
      continue;
    }
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string value = Trim(line.substr(colon + 1));
    if (name == "content-length") {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size()) problem = "bad Content-Length: " + value.substr(0, 40);
      else length = n;
    }
  }
  if (!length && problem.empty()) problem = "no Content-Length header";
  if (length && *length > kMaxBody) problem = "Content-Length " + std::to_string(*length) + " is too large";
  if (!problem.empty()) return {false, "", problem};
  while (buffer_.size() - pos_ < *length) {
    if (!Fill()) return {true, "", ""};
  }
  Frame f{false, buffer_.substr(pos_, *length), ""};
  pos_ += *length;
  return f;
}

std::string Frame(const nlohmann::json& message) {
  // Invalid UTF-8 in a string (a path from a broken URI) is replaced rather than thrown on.
  std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

nlohmann::json Response(const nlohmann::json& id, nlohmann::json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

nlohmann::json ErrorResponse(const nlohmann::json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

nlohmann::json Notification(const std::string& method, nlohmann::json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

nlohmann::json Request(const nlohmann::json& id, const std::string& method, nlohmann::json params) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Incoming Classify(nlohmann::json body) {
  Incoming in;
  if (!body.is_object()) {
    in.problem = body.is_array() ? "batches are not used by LSP" : "a message is a JSON object";
    in.body = std::move(body);
    return in;
  }
  const bool has_id = body.contains("id");
  if (has_id) {
    const auto& id = body["id"];
    if (id.is_string() || id.is_number_integer() || id.is_null()) in.id = id;
    else {
      in.problem = "id must be an integer or a string";
      in.body = std::move(body);
      return in;
    }
  }
  if (!body.contains("jsonrpc") || body["jsonrpc"] != "2.0") {
    in.problem = "jsonrpc must be \"2.0\"";
  } else if (body.contains("method")) {
    if (!body["method"].is_string()) {
      in.problem = "method must be a string";
    } else {
      in.method = body["method"].get<std::string>();
      in.kind = has_id ? Incoming::kRequest : Incoming::kNotification;
      if (body.contains("params")) {
        in.params = body["params"];
        // null is read as absent: LSP's `params?: void` requests (shutdown, exit) get it from
        // several clients, and JSON-RPC's strict reading would refuse them.
        if (!in.params.is_null() && !in.params.is_object() && !in.params.is_array()) {
          in.kind = Incoming::kInvalid;
          in.problem = "params must be an object or an array";
        }
      }
    }
  } else if (has_id && (body.contains("result") || body.contains("error"))) {
    in.kind = Incoming::kResponse;
  } else {
    in.problem = "neither a request, a notification nor a response";
  }
  in.body = std::move(body);
  return in;
}

}  // namespace scale::lsp
