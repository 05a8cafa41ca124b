#include "settings/backends.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace scale::settings {
namespace {

int ExitOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.exit_code();
  }
  return 0;
}

TEST(SettingsBackends, FlagWithKeys) {
  Backend b = ParseBackendFlag("http://127.0.0.1:8080/v1/,weight=2,max_concurrent=8,model=qwen,api_key_env=GPU_KEY,time_limit=30,api=completion,format=llama3");
  EXPECT_EQ(b.url, "http://127.0.0.1:8080");
  EXPECT_DOUBLE_EQ(b.weight, 2);
  EXPECT_EQ(b.max_concurrent, 8);
  EXPECT_EQ(b.model, "qwen");
  EXPECT_EQ(b.api_key_env, "GPU_KEY");
  EXPECT_DOUBLE_EQ(b.time_limit_s, 30);
  EXPECT_EQ(b.api, BackendApi::kCompletion);
  EXPECT_EQ(b.format, "llama3");
  EXPECT_EQ(b.where, "--backend");
  EXPECT_TRUE(b.cache_prompt);
  EXPECT_FALSE(ParseBackendFlag("http://h,cache_prompt=false").cache_prompt);
}

TEST(SettingsBackends, BadFlagsAreUsageErrors) {
  for (const char* bad : {"", "ftp://h", "http://", "http:///x", "http://h,weight=0", "http://h,weight=x",
                          "http://h,max_concurrent=0", "http://h,nope=1", "http://h,api=grpc", "http://h,weight",
                          "http://h,api_key_env=sk-live-abc.def", "http://h a", "http://h,url=http://x", "http://h,cache_prompt=no"}) {
    EXPECT_EQ(ExitOf([&] { ParseBackendFlag(bad); }), kExitUsage) << bad;
  }
  EXPECT_EQ(ExitOf([] { ParseRouting("nearest", "--routing"); }), kExitUsage);
  EXPECT_EQ(ParseRouting("spread", "x"), Routing::kSpread);
}

TEST(SettingsBackends, TomlTables) {
  toml::table doc = toml::parse(R"(
[[backend]]
url = "http://a:8080"
weight = 3
[[backend]]
url = "https://b.example/v1"
api_key_env = "B_KEY"
ctx_size = 8192
[remote]
routing = "spread"
retries = 2
)");
  RemoteConfig c;
  ReadBackendTables(doc.get("backend"), doc.get("remote"), ".scale.toml", &c);
  ASSERT_EQ(c.backends.size(), 2u);
  EXPECT_EQ(c.backends[0].url, "http://a:8080");
  EXPECT_DOUBLE_EQ(c.backends[0].weight, 3);
  EXPECT_EQ(c.backends[0].where, ".scale.toml:2");
  EXPECT_EQ(c.backends[1].url, "https://b.example");
  EXPECT_EQ(c.backends[1].ctx_size, 8192);
  EXPECT_EQ(c.routing, Routing::kSpread);
  EXPECT_EQ(c.retries, 2);
  EXPECT_TRUE(c.routing_given);
}

TEST(SettingsBackends, TomlProblemsNameTheLine) {
  toml::table doc = toml::parse("[[backend]]\nweight = 2\n");
  RemoteConfig c;
  try {
    ReadBackendTables(doc.get("backend"), nullptr, "p.toml", &c);
    FAIL() << "a backend without url was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()), "p.toml:1: [[backend]] needs a url");
  }
  toml::table key = toml::parse("[[backend]]\nurl = \"http://a\"\napi_key = \"sk-123\"\n");
  EXPECT_EQ(ExitOf([&] { ReadBackendTables(key.get("backend"), nullptr, "p.toml", &c); }), kExitUsage);
}

}  // namespace
}  // namespace scale::settings
