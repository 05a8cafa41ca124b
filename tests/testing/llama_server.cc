#include "testing/llama_server.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "testing/temp_dir.h"

namespace scale::testing {

LlamaServer::LlamaServer(Options options) {
  if (options.log_dir.empty()) {
    own_dir_ = std::make_unique<TempDir>("llama-server");
    options.log_dir = own_dir_->path().string();
  }
  remote::LlamaServerProcess::Options p;
  p.model = options.model;
  p.parallel = options.parallel;
  p.ctx = options.ctx;
  p.threads = options.threads;
  p.extra = options.extra;
  p.log_dir = options.log_dir;
  p.port = options.port;
  p.ready_timeout = options.ready_timeout;
  process_ = std::make_unique<remote::LlamaServerProcess>(p);
}

LlamaServer::~LlamaServer() {
  Stop();
  if (!log_path().empty() && ::testing::Test::HasFailure()) {
    std::string text = log();
    if (text.size() > 4000) text = "..." + text.substr(text.size() - 4000);
    std::fprintf(stderr, "--- llama-server log (%s) ---\n%s\n--- end of log ---\n", log_path().c_str(), text.c_str());
  }
}

}  // namespace scale::testing
