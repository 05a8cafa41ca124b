#include "train/lora.h"

#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml-cpu.h"
#include "ggml.h"
#include "gguf.h"
#include "util/error.h"
#include "util/fs.h"

namespace scale::train {
namespace {

ggml_tensor* BaseWeight(const Layer& l, Module m) {
  switch (m) {
    case Module::kQ: return l.wq;
    case Module::kK: return l.wk;
    case Module::kV: return l.wv;
    case Module::kO: return l.wo;
    case Module::kGate: return l.ffn_gate;
    case Module::kUp: return l.ffn_up;
    case Module::kDown: return l.ffn_down;
  }
  return nullptr;
}

// Box-Muller over mt19937_64's raw output: std::normal_distribution is implementation-defined,
// and the same seed must give the same adapter bytes with any standard library.
class Gaussian {
 public:
  explicit Gaussian(uint64_t seed) : rng_(seed) {}
  float Next() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    const double u1 = (static_cast<double>(rng_() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = static_cast<float>(r * std::sin(2 * M_PI * u2));
    have_spare_ = true;
    return static_cast<float>(r * std::cos(2 * M_PI * u2));
  }

 private:
  std::mt19937_64 rng_;
  bool have_spare_ = false;
  float spare_ = 0;
};

}  // namespace

std::unique_ptr<Lora> Lora::Create(const BaseModel& base, const LoraOptions& options) {
  if (options.rank < 1) throw Error(kExitUsage, "LoRA rank must be at least 1");
  if (!(options.alpha > 0)) throw Error(kExitUsage, "LoRA alpha must be above 0");
  if (options.dropout < 0 || options.dropout >= 1) throw Error(kExitUsage, "LoRA dropout must be in [0, 1)");
  if (options.modules.empty()) throw Error(kExitUsage, "no LoRA modules chosen");
  std::unique_ptr<Lora> lora(new Lora());
  lora->options_ = options;
  lora->architecture_ = base.hparams().architecture;
  const size_t n_tensors = 2 * base.layers().size() * options.modules.size();
  ggml_init_params params = {n_tensors * ggml_tensor_overhead(), nullptr, /*no_alloc=*/true};
  lora->ctx_ = ggml_init(params);
  for (size_t i = 0; i < base.layers().size(); ++i) {
    for (Module m : options.modules) {
      const ggml_tensor* w = BaseWeight(base.layers()[i], m);
      Pair p;
      p.layer = static_cast<int>(i);
      p.module = m;
      p.a = ggml_new_tensor_2d(lora->ctx_, GGML_TYPE_F32, w->ne[0], options.rank);
      p.b = ggml_new_tensor_2d(lora->ctx_, GGML_TYPE_F32, options.rank, w->ne[1]);
      const std::string name = "blk." + std::to_string(i) + "." + ModuleTensorName(m) + ".weight";
      ggml_set_name(p.a, (name + ".lora_a").c_str());
      ggml_set_name(p.b, (name + ".lora_b").c_str());
      lora->pairs_.push_back(p);
    }
  }
  lora->buffer_ = ggml_backend_alloc_ctx_tensors_from_buft(lora->ctx_, ggml_backend_cpu_buffer_type());
  if (!lora->buffer_) throw Error(kExitModel, "not enough memory for the LoRA adapter");
  Gaussian gauss(options.seed);
  for (Pair& p : lora->pairs_) {
    const float std_dev = 1.0f / std::sqrt(static_cast<float>(p.a->ne[0]));
    float* a = static_cast<float*>(p.a->data);
    for (int64_t j = 0; j < ggml_nelements(p.a); ++j) a[j] = gauss.Next() * std_dev;
    std::memset(p.b->data, 0, ggml_nbytes(p.b));
  }
  return lora;
}

Lora::~Lora() {
  if (buffer_) ggml_backend_buffer_free(buffer_);
  if (ctx_) ggml_free(ctx_);
}

const Lora::Pair* Lora::Find(int layer, Module module) const {
  for (const Pair& p : pairs_) {
    if (p.layer == layer && p.module == module) return &p;
  }
  return nullptr;
}

size_t Lora::parameter_count() const {
  size_t n = 0;
  for (const Pair& p : pairs_) n += ggml_nelements(p.a) + ggml_nelements(p.b);
  return n;
}

void Lora::MarkTrainable() {
  for (Pair& p : pairs_) {
    ggml_set_param(p.a);
    ggml_set_param(p.b);
  }
}

std::vector<float> Lora::Values() const {
  std::vector<float> out;
  out.reserve(parameter_count());
  for (const Pair& p : pairs_) {
    for (const ggml_tensor* t : {p.a, p.b}) {
      const float* d = static_cast<const float*>(t->data);
      out.insert(out.end(), d, d + ggml_nelements(t));
    }
  }
  return out;
}

void Lora::SetValues(const std::vector<float>& values) {
  if (values.size() != parameter_count()) {
    throw Error(kExitInput, "the saved adapter has " + std::to_string(values.size()) + " values, this one " +
                                std::to_string(parameter_count()));
  }
  size_t at = 0;
  for (Pair& p : pairs_) {
    for (ggml_tensor* t : {p.a, p.b}) {
      std::memcpy(t->data, values.data() + at, ggml_nbytes(t));
      at += static_cast<size_t>(ggml_nelements(t));
    }
  }
}

void Lora::Write(const std::string& path, const std::string& base_name) const {
  gguf_context* g = gguf_init_empty();
  gguf_set_val_str(g, "general.architecture", architecture_.c_str());
  gguf_set_val_str(g, "general.type", "adapter");
  gguf_set_val_str(g, "general.name", (base_name + " LoRA").c_str());
  gguf_set_val_str(g, "adapter.type", "lora");
  gguf_set_val_f32(g, "adapter.lora.alpha", options_.alpha);
  gguf_set_val_u32(g, "scale.lora.rank", static_cast<uint32_t>(options_.rank));
  std::string modules;
  for (Module m : options_.modules) modules += std::string(modules.empty() ? "" : ",") + ModuleFlagName(m);
  gguf_set_val_str(g, "scale.lora.modules", modules.c_str());
  for (const Pair& p : pairs_) {
    gguf_add_tensor(g, p.a);
    gguf_add_tensor(g, p.b);
  }
  // The file in memory (header, then each tensor at its aligned offset): adapters are megabytes,
  // and one WriteFileAtomic gives the same temp-file-and-rename guarantee as every other write.
  std::string bytes(gguf_get_meta_size(g), '\0');
  gguf_get_meta_data(g, bytes.data());
  const size_t data_start = bytes.size();
  const size_t alignment = gguf_get_alignment(g);
  for (int64_t i = 0; i < gguf_get_n_tensors(g); ++i) {
    const size_t offset = data_start + gguf_get_tensor_offset(g, i);
    const size_t size = gguf_get_tensor_size(g, i);
    const size_t end = offset + ((size + alignment - 1) / alignment) * alignment;
    if (bytes.size() < end) bytes.resize(end, '\0');
    const Pair& p = pairs_[static_cast<size_t>(i / 2)];
    const ggml_tensor* t = (i % 2 == 0) ? p.a : p.b;
    std::memcpy(bytes.data() + offset, t->data, size);
  }
  gguf_free(g);
  WriteFileAtomic(path, bytes);
}

}  // namespace scale::train
