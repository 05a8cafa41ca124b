#include "testing/test_models.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "testmodel/gguf_writer.h"
#include "testmodel/model_spec.h"

namespace scale::testing {
namespace {

namespace fs = std::filesystem;

// Bump when the generator's output changes, so stale models in old build dirs are not reused.
constexpr int kGeneratorVersion = 1;

// Holds an flock on a file for the object's lifetime: one ctest process generates a model while
// the others wait, instead of all of them writing the same 40 MB at once.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + path);
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // closing releases the lock
  }

 private:
  int fd_;
};

template <typename Write>
std::string Generated(const std::string& file_name, Write write) {
  static std::mutex mu;  // flock is per open file, so threads of one process need this too
  std::lock_guard<std::mutex> guard(mu);
  const fs::path dir = fs::path(SCALE_TEST_TMP) / "models";
  fs::create_directories(dir);
  const fs::path path = dir / file_name;
  FileLock lock((dir / (file_name + ".lock")).string());
  if (!fs::exists(path)) write(path.string());  // writers rename atomically: exists => complete
  return path.string();
}

std::string Versioned(const std::string& stem) {
  return stem + "-v" + std::to_string(kGeneratorVersion) + ".gguf";
}

}  // namespace

std::string VocabPath(const std::string& name) { return testmodel::VocabFile(name); }

std::string TinyChatModel() {
  return Generated(Versioned("tiny-chat-f32-s1"), [](const std::string& path) {
    testmodel::ModelSpec spec = testmodel::PresetSpec("tiny", testmodel::WeightType::kF32);
    spec.seed = 1;
    testmodel::WriteRandomModel(spec, path);
  });
}

std::string TinyWideHeadModel() {
  return Generated(Versioned("tiny-chat-2x32-f32-s1"), [](const std::string& path) {
    testmodel::ModelSpec spec = testmodel::PresetSpec("tiny", testmodel::WeightType::kF32);
    spec.n_head = 2;
    spec.n_head_kv = 2;
    spec.seed = 1;
    testmodel::WriteRandomModel(spec, path);
  });
}

std::string TinyQ8Model() {
  return Generated(Versioned("tiny-chat-q8_0-s1"), [](const std::string& path) {
    testmodel::ModelSpec spec = testmodel::PresetSpec("tiny", testmodel::WeightType::kQ8_0);
    spec.seed = 1;
    testmodel::WriteRandomModel(spec, path);
  });
}

std::string TinyLora() {
  return Generated(Versioned("tiny-chat-lora-r4"), [](const std::string& path) {
    testmodel::WriteRandomLora(testmodel::PresetSpec("tiny"), /*rank=*/4, /*alpha=*/8.0f, path, /*seed=*/7);
  });
}

std::string StoriesModel() {
  const fs::path path = fs::path(SCALE_SHARED_DIR) / "models" / "stories260K.gguf";
  if (!fs::exists(path)) {
    // gtest reports the exception's message as the test's failure.
    throw std::runtime_error("test model missing: " + path.string() +
                             " (the team's shared/ folder; configure with -DSCALE_SHARED_DIR=...)");
  }
  return fs::absolute(path).lexically_normal().string();
}

testmodel::ModelSpec Reshaped(testmodel::ModelSpec spec, const SpecShape& shape) {
  spec.n_layer = shape.n_layer;
  spec.n_embd = shape.n_embd;
  spec.n_head = shape.n_head;
  spec.n_head_kv = shape.n_head_kv;
  spec.n_ff = shape.n_ff;
  return spec;
}

}  // namespace scale::testing
