#include "engine/gguf_check.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/llama_log.h"
#include "gguf.h"
#include "util/error.h"
#include "util/size.h"

namespace scale::engine {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw Error(kExitModel, "model " + path + ": " + what);
}

struct GgufDeleter {
  void operator()(gguf_context* ctx) const { gguf_free(ctx); }
};
using GgufPtr = std::unique_ptr<gguf_context, GgufDeleter>;

}  // namespace

GgufInfo InspectModelFile(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) Fail(path, "file not found");
  if (fs::is_directory(status)) Fail(path, "is a directory, not a GGUF file");
  GgufInfo info;
  info.file_size = fs::file_size(path, ec);
  if (ec) Fail(path, "cannot read file size: " + ec.message());
  if (info.file_size == 0) Fail(path, "file is empty (0 bytes), not a GGUF model");

  char magic[4] = {0, 0, 0, 0};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) Fail(path, "cannot open file for reading");
    in.read(magic, 4);
    if (in.gcount() < 4 || std::string(magic, 4) != "GGUF") {
      Fail(path, "not a GGUF file (wrong magic bytes; llama.cpp needs .gguf models, convert or download a GGUF)");
    }
  }

  InstallLlamaLogFilter();
  ClearLlamaErrors();
  gguf_init_params params{/*no_alloc=*/true, /*ctx=*/nullptr};
  GgufPtr ctx(gguf_init_from_file(path.c_str(), params));
  if (!ctx) {
    std::string why = LlamaErrors();
    Fail(path, "corrupt or truncated GGUF header" + (why.empty() ? std::string() : " (" + why + ")"));
  }
  // gguf_init_from_file with no_alloc does not read tensor data, so a file cut short in the data
  // section passes it; compare the extent the tensor table promises with the real size.
  uint64_t data_end = gguf_get_data_offset(ctx.get());
  for (int64_t i = 0; i < gguf_get_n_tensors(ctx.get()); ++i) {
    uint64_t end = gguf_get_data_offset(ctx.get()) + gguf_get_tensor_offset(ctx.get(), i) +
                   gguf_get_tensor_size(ctx.get(), i);
    data_end = std::max(data_end, end);
  }
  if (data_end > info.file_size) {
    Fail(path, "truncated GGUF: tensors need " + FormatBytes(data_end) + " but the file has " +
                   FormatBytes(info.file_size) + " (incomplete download?)");
  }

  info.architecture = GgufString(ctx.get(), "general.architecture");
  if (info.architecture.empty()) Fail(path, "GGUF has no general.architecture (not a model file?)");
  info.name = GgufString(ctx.get(), "general.name");
  static_cast<ModelShape&>(info) = ReadModelShape(ctx.get(), info.architecture, path);
  info.has_chat_template = gguf_find_key(ctx.get(), "tokenizer.chat_template") >= 0;
  return info;
}

}  // namespace scale::engine
