// JSON-RPC 2.0 over LSP's base protocol: "Content-Length: N\r\n\r\n" then N bytes of UTF-8 JSON.
// FrameReader turns a byte stream into message bodies; Frame() and the builders make replies.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace scale::lsp {

// The error codes of JSON-RPC 2.0 and LSP 3.17 that this server sends.
enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
  kRequestFailed = -32803,
  kServerCancelled = -32802,
  kContentModified = -32801,
  kRequestCancelled = -32800,
};

// Reads framed messages from `read_some` (returns bytes read into buf, 0 at end of input, <0 on
// error, like read(2)). Headers are case-insensitive; Content-Type is accepted and ignored.
class FrameReader {
 public:
  explicit FrameReader(std::function<long(char* buf, size_t size)> read_some);

  struct Frame {
    bool end = false;     // input ended (or failed): no more frames
    std::string body;     // the message body when `problem` is empty
    std::string problem;  // a header the base protocol refuses; the reader skipped past it
  };
  // The next frame. A bad header block (no or bad Content-Length) yields a problem and the
  // reader resynchronises at the next blank line, so one bad message never ends the session.
  Frame Next();

 private:
  bool Fill();  // reads more into buffer_; false at end of input
  std::function<long(char*, size_t)> read_some_;
  std::string buffer_;
  size_t pos_ = 0;
};

// A message framed for the wire.
std::string Frame(const nlohmann::json& message);

nlohmann::json Response(const nlohmann::json& id, nlohmann::json result);
nlohmann::json ErrorResponse(const nlohmann::json& id, int code, const std::string& message);
nlohmann::json Notification(const std::string& method, nlohmann::json params);
nlohmann::json Request(const nlohmann::json& id, const std::string& method, nlohmann::json params);

// What a parsed body is. A body that is valid JSON but not a JSON-RPC 2.0 message is kInvalid
// (`problem` says why; `id` is its id when one could be read, else null).
struct Incoming {
  enum Kind { kRequest, kNotification, kResponse, kInvalid } kind = kInvalid;
  nlohmann::json id;  // null unless a request or response (or an invalid message with an id)
  std::string method;
  nlohmann::json params;  // null when absent
  nlohmann::json body;    // the whole message
  std::string problem;
};
Incoming Classify(nlohmann::json body);

}  // namespace scale::lsp
