// Tests of the llama-server harness (tests/testing/llama_server.h) with the real llama-server binary and
// the real stories260K model: it comes up healthy on a free loopback port, answers, dies when killed and
// never outlives its owner.
#include "testing/llama_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "testing/temp_dir.h"

namespace scale::testing {
namespace {

using nlohmann::json;

const std::string kModel = SCALE_SHARED_DIR "/models/stories260K.gguf";

#define SKIP_WITHOUT_LLAMA_SERVER()                               \
  do {                                                            \
    std::string why;                                              \
    if (LlamaServer::Binary(&why).empty()) GTEST_SKIP() << why;   \
  } while (0)

LlamaServer::Options Tiny() {
  LlamaServer::Options o;
  o.model = kModel;
  o.ctx = 512;
  return o;
}

std::string Greedy(const LlamaServer& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  json body = {{"messages", {{{"role", "user"}, {"content", "Once upon a time"}}}},
               {"max_tokens", 8},
               {"temperature", 0}};
  auto res = client.Post("/v1/chat/completions", body.dump(), "application/json");
  if (!res || res->status != 200) return "";
  return json::parse(res->body)["choices"][0]["message"]["content"];
}

// True when something accepts TCP connections on 127.0.0.1:port.
bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(uint16_t(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool ProcessExists(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

TEST(LlamaServerHarness, StartsAndAnswersGreedily) {
  SKIP_WITHOUT_LLAMA_SERVER();
  TempDir dir;
  LlamaServer::Options o = Tiny();
  o.log_dir = dir.path().string();
  LlamaServer server(o);
  ASSERT_TRUE(server.Start()) << server.error();
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(server.log_path().rfind(dir.path().string(), 0), 0u) << "the log lives in the test's dir";

  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const std::string first = Greedy(server);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(Greedy(server), first) << "temperature 0 answers the same twice";
  EXPECT_NE(server.log().find("127.0.0.1"), std::string::npos) << "the server's output goes to the log";
}

TEST(LlamaServerHarness, KillMakesThePortRefuseConnections) {
  SKIP_WITHOUT_LLAMA_SERVER();
  LlamaServer server(Tiny());
  ASSERT_TRUE(server.Start()) << server.error();
  const pid_t pid = server.pid();
  const int port = server.port();
  ASSERT_TRUE(Accepts(port));
  server.Kill();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(ProcessExists(pid)) << "killed and reaped";
  EXPECT_FALSE(Accepts(port));
  server.Stop();  // after Kill: nothing left to do, and no error
}

TEST(LlamaServerHarness, TwoInstancesGetDifferentPortsAndStopSeparately) {
  SKIP_WITHOUT_LLAMA_SERVER();
  LlamaServer a(Tiny());
  LlamaServer::Options two = Tiny();
  two.parallel = 2;
  LlamaServer b(two);
  ASSERT_TRUE(a.Start()) << a.error();
  ASSERT_TRUE(b.Start()) << b.error();
  EXPECT_NE(a.port(), b.port());
  EXPECT_NE(a.log_path(), b.log_path());
  httplib::Client cb("127.0.0.1", b.port());
  auto props = cb.Get("/props");
  ASSERT_TRUE(props);
  EXPECT_EQ(json::parse(props->body)["total_slots"], 2);
  a.Stop();
  EXPECT_FALSE(Accepts(a.port()));
  EXPECT_FALSE(Greedy(b).empty()) << "the other instance still answers";
}

TEST(LlamaServerHarness, DestructorStopsTheProcess) {
  SKIP_WITHOUT_LLAMA_SERVER();
  pid_t pid = 0;
  int port = 0;
  {
    LlamaServer server(Tiny());
    ASSERT_TRUE(server.Start()) << server.error();
    pid = server.pid();
    port = server.port();
  }
  EXPECT_FALSE(ProcessExists(pid));
  EXPECT_FALSE(Accepts(port));
}

TEST(LlamaServerHarness, TakenPortFallsBackToAFreeOne) {
  SKIP_WITHOUT_LLAMA_SERVER();
  // Hold a listening socket so the first chosen port is taken.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int taken = ntohs(addr.sin_port);
  LlamaServer::Options o = Tiny();
  o.port = taken;
  LlamaServer server(o);
  const bool started = server.Start();
  close(fd);
  ASSERT_TRUE(started) << server.error();
  EXPECT_NE(server.port(), taken);
  EXPECT_FALSE(Greedy(server).empty());
}

TEST(LlamaServerHarness, BadModelFailsWithItsLog) {
  SKIP_WITHOUT_LLAMA_SERVER();
  TempDir dir;
  LlamaServer::Options o = Tiny();
  o.model = dir.Write("broken.gguf", "not a gguf");
  LlamaServer server(o);
  EXPECT_FALSE(server.Start());
  EXPECT_FALSE(server.running());
  EXPECT_NE(server.error().find("before it was ready"), std::string::npos) << server.error();
  EXPECT_NE(server.error().find("broken.gguf"), std::string::npos) << "the log's tail is in the error";
}

}  // namespace
}  // namespace scale::testing
