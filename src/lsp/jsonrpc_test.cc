// Framing and message classification of the base protocol, without a server or model.
#include "lsp/jsonrpc.h"

#include <gtest/gtest.h>

namespace scale::lsp {
namespace {

// A reader over `input`, handing out at most `chunk` bytes per read (frames split across reads).
FrameReader Over(const std::string& input, size_t chunk) {
  auto pos = std::make_shared<size_t>(0);
  return FrameReader([input, pos, chunk](char* buf, size_t size) -> long {
    size_t n = std::min({size, chunk, input.size() - *pos});
    std::copy_n(input.data() + *pos, n, buf);
    *pos += n;
    return static_cast<long>(n);
  });
}

TEST(JsonRpcTest, FramesRoundTripWhateverTheReadSizes) {
  const nlohmann::json a = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "x"}, {"params", {{"s", "héllo 𝄞"}}}};
  const nlohmann::json b = Notification("exit", nullptr);
  const std::string wire = Frame(a) + Frame(b);
  for (size_t chunk : {1u, 7u, 65536u}) {
    FrameReader r = Over(wire, chunk);
    auto f1 = r.Next();
    ASSERT_TRUE(f1.problem.empty()) << f1.problem;
    EXPECT_EQ(nlohmann::json::parse(f1.body), a);
    auto f2 = r.Next();
    EXPECT_EQ(nlohmann::json::parse(f2.body), b);
    EXPECT_TRUE(r.Next().end);
  }
}

TEST(JsonRpcTest, ContentLengthCountsBytesNotCharacters) {
  const std::string frame = Frame({{"s", "é"}});
  const std::string body = frame.substr(frame.find("\r\n\r\n") + 4);
  EXPECT_EQ(frame.rfind("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n", 0), 0u) << frame;
}

TEST(JsonRpcTest, HeadersAreCaseInsensitiveAndContentTypeIsIgnored) {
  FrameReader r = Over("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", 3);
  auto f = r.Next();
  EXPECT_TRUE(f.problem.empty()) << f.problem;
  EXPECT_EQ(f.body, "{}");
}

TEST(JsonRpcTest, BadHeaderIsReportedAndTheNextFrameStillReads) {
  FrameReader r = Over("Content-Length: x\r\n\r\nContent-Type: a\r\n\r\nContent-Length: 2\r\n\r\n[]", 5);
  EXPECT_NE(r.Next().problem.find("bad Content-Length"), std::string::npos);
  EXPECT_NE(r.Next().problem.find("no Content-Length"), std::string::npos);
  auto ok = r.Next();
  EXPECT_TRUE(ok.problem.empty());
  EXPECT_EQ(ok.body, "[]");
  EXPECT_TRUE(r.Next().end);
}

TEST(JsonRpcTest, TruncatedBodyEndsTheInput) {
  FrameReader r = Over("Content-Length: 10\r\n\r\n{}", 100);
  EXPECT_TRUE(r.Next().end);
}

TEST(JsonRpcTest, ClassifiesMessages) {
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "m"}}).kind, Incoming::kRequest);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", "a"}, {"method", "m"}, {"params", {1}}}).kind, Incoming::kRequest);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"method", "m"}}).kind, Incoming::kNotification);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", 3}, {"result", nullptr}}).kind, Incoming::kResponse);
  auto no_version = Classify({{"id", 4}, {"method", "m"}});
  EXPECT_EQ(no_version.kind, Incoming::kInvalid);
  EXPECT_EQ(no_version.id, 4);  // still answerable by id
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", 1}, {"method", 5}}).kind, Incoming::kInvalid);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", {1}}, {"method", "m"}}).kind, Incoming::kInvalid);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"method", "m"}, {"params", 3}}).kind, Incoming::kInvalid);
  EXPECT_EQ(Classify({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "shutdown"}, {"params", nullptr}}).kind, Incoming::kRequest)
      << "null params mean none (clients send it for shutdown)";
  EXPECT_EQ(Classify(nlohmann::json::array({1})).kind, Incoming::kInvalid);
  EXPECT_EQ(Classify(42).kind, Incoming::kInvalid);
}

TEST(JsonRpcTest, ErrorResponseShape) {
  auto e = ErrorResponse(nullptr, kParseError, "bad");
  EXPECT_TRUE(e["id"].is_null());
  EXPECT_EQ(e["error"]["code"], -32700);
  EXPECT_EQ(e["jsonrpc"], "2.0");
  EXPECT_FALSE(e.contains("result"));
}

}  // namespace
}  // namespace scale::lsp
