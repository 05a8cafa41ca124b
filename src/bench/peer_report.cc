// PeerMarkdown and PeerJson (bench/peer.h): the table of ours vs llama-server, and the fleet rows.
#include <string>

#include "bench/peer.h"
#include "util/format.h"

namespace scale::bench {
namespace {

std::string MiB(uint64_t bytes) { return bytes ? FormatFixed(static_cast<double>(bytes) / (1 << 20), 0) : std::string("-"); }

std::string TargetCell(const PeerRow& r) {
  if (r.target <= 0 || r.ratio() <= 0) return "-";
  return ">= " + FormatFixed(r.target, 2) + (r.ratio() >= r.target ? " met" : " missed");
}

std::string RowName(const PeerRow& r) { return r.what + (r.variant.empty() ? "" : " (" + r.variant + ")"); }

nlohmann::json SideJson(const PeerSide& s) {
  return {{"items", s.items},
          {"requests", s.requests},
          {"per_min", s.per_min()},
          {"seconds", s.seconds},
          {"prompt_tokens", s.prompt_tokens},
          {"cached_tokens", s.cached_tokens},
          {"decoded_tokens", s.decoded()},
          {"generated_tokens", s.generated_tokens},
          {"peak_rss_bytes", s.peak_rss},
          {"prompts_sha256", s.prompts_sha}};
}

}  // namespace

std::string PeerMarkdown(const PeerReport& r) {
  const PeerOptions& o = r.options;
  std::string md = "# scale bench --peer: the in-process engine vs llama-server\n\nModel: " + o.model +
                   (o.model_note.empty() ? "" : " (" + o.model_note + ")") + "\nServer: " +
                   (r.server_version.empty() ? o.server_binary : r.server_version) + ", -np N --cont-batching, cache_prompt on, -c N x the engine's context per sequence\n" +
                   std::to_string(o.threads) + " threads on both sides; greedy; answers capped at " + std::to_string(o.max_tokens) +
                   " tokens; load average at the start " + FormatFixed(r.load_average, 2) + ".\n\n";
  md += "| run | N | ours /min | llama-server /min | ratio | target | prompt tok | decoded ours | decoded server | "
        "generated ours / server | peak RSS ours MiB | server MiB | prompts identical |\n"
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
  for (const PeerRow& row : r.rows) {
    md += "| " + RowName(row) + " | " + std::to_string(row.parallel) + " | " + FormatFixed(row.ours.per_min(), 1) + " | " +
          FormatFixed(row.theirs.per_min(), 1) + " | " + (row.ratio() > 0 ? FormatFixed(row.ratio(), 2) : std::string("-")) +
          " | " + TargetCell(row) + " | " + std::to_string(row.ours.prompt_tokens) +
          (row.ours.prompt_tokens == row.theirs.prompt_tokens ? "" : " / " + std::to_string(row.theirs.prompt_tokens)) + " | " +
          std::to_string(row.ours.decoded()) + " | " + std::to_string(row.theirs.decoded()) + " | " +
          std::to_string(row.ours.generated_tokens) + " / " + std::to_string(row.theirs.generated_tokens) + " | " +
          MiB(row.ours.peak_rss) + " | " + MiB(row.theirs.peak_rss) + " | " + (row.prompts_identical ? "yes" : "no") +
          (row.replayed ? " (replayed)" : "") + " |\n";
  }
  md += "\n/min = routines per minute (comment) or chunks per minute (summarize); ratio = ours / llama-server; "
        "decoded = prompt tokens minus those served from a shared or cached prefix (the server's own cache_n on its side); "
        "peak RSS: this process while the engine ran, the server's VmHWM.\n"
        "Prompts identical: a SHA-256 of every request (id, max tokens, messages), ordered by id, is the same on both sides.\n";
  md += "No prefix sharing: " + r.sharing_note + ".\n";
  for (const PeerRow& row : r.rows) {
    if (!row.prompts_identical) {
      md += "\nVOID: " + RowName(row) + " at N=" + std::to_string(row.parallel) + ": the request streams differ (first at " +
            row.first_difference + ")" + (row.note.empty() ? "" : ": " + row.note) + ".\n";
    } else if (row.replayed) {
      md += "\nReplayed: " + RowName(row) + " at N=" + std::to_string(row.parallel) + ": live, llama-server's greedy answers "
            "differed from ours and later prompts (which carry earlier answers) differed from " + row.live_difference +
            " on; its row is a replay of the engine's recorded requests with their dependency order (live it did " +
            FormatFixed(row.live_per_min, 1) + "/min on its own stream).\n";
    } else if (!row.answers_identical) {
      md += "\nNote: " + RowName(row) + " at N=" + std::to_string(row.parallel) +
            ": same prompts, but some greedy answers differ between the two engines.\n";
    }
  }
  if (!r.fleet.empty()) {
    md += "\n## scale driving llama-server: one instance vs two (comment, " + std::to_string(r.fleet_parallel) +
          " slots in all)\n\n"
          "| servers | routing | slots x threads each | routines/min | vs one | prompt tok | cached by the servers | "
          "decoded | peak RSS MiB (all) | prompts identical |\n"
          "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    const double one = r.fleet.front().side.per_min();
    for (const FleetRun& f : r.fleet) {
      std::string cached;
      for (const auto& s : f.stats) cached += (cached.empty() ? "" : " + ") + std::to_string(s.cached_tokens);
      md += "| " + std::to_string(f.servers) + " | " + f.routing + " | " + std::to_string(f.slots_per_server) + " x " +
            std::to_string(f.threads_per_server) + " | " + FormatFixed(f.side.per_min(), 1) + " | " +
            (one > 0 ? FormatFixed(f.side.per_min() / one, 2) : std::string("-")) + " | " + std::to_string(f.side.prompt_tokens) +
            " | " + cached + " | " + std::to_string(f.side.decoded()) + " | " + MiB(f.side.peak_rss) + " | " +
            (f.prompts_identical ? "yes" : "no") + (f.replayed ? " (replayed)" : "") + " |\n";
    }
    md += "\nTwo instances share this machine's cores: each gets half the slots and half the threads of the single one.\n";
  }
  md += std::string("\nPrompts identical on every row: ") + (r.all_identical() ? "yes" : "no") + ".\n";
  return md;
}

nlohmann::json PeerJson(const PeerReport& r) {
  const PeerOptions& o = r.options;
  nlohmann::json rows = nlohmann::json::array();
  for (const PeerRow& row : r.rows) {
    rows.push_back({{"what", row.what},
                    {"variant", row.variant},
                    {"parallel", row.parallel},
                    {"ctx_per_seq", row.ctx_per_seq},
                    {"format", row.format},
                    {"ours", SideJson(row.ours)},
                    {"llama_server", SideJson(row.theirs)},
                    {"ratio", row.ratio()},
                    {"target", row.target},
                    {"target_met", row.target > 0 && row.ratio() >= row.target},
                    {"prompts_identical", row.prompts_identical},
                    {"answers_identical", row.answers_identical},
                    {"first_difference", row.first_difference},
                    {"note", row.note},
                    {"replayed", row.replayed},
                    {"live_difference", row.live_difference},
                    {"live_per_min", row.live_per_min}});
  }
  nlohmann::json fleet = nlohmann::json::array();
  for (const FleetRun& f : r.fleet) {
    nlohmann::json servers = nlohmann::json::array();
    for (const auto& s : f.stats) {
      servers.push_back({{"url", s.url}, {"requests", s.requests}, {"failed", s.failed}, {"prompt_tokens", s.prompt_tokens},
                         {"cached_tokens", s.cached_tokens}, {"completion_tokens", s.completion_tokens}});
    }
    nlohmann::json j = SideJson(f.side);
    j["servers"] = f.servers;
    j["routing"] = f.routing;
    j["slots_per_server"] = f.slots_per_server;
    j["threads_per_server"] = f.threads_per_server;
    j["prompts_identical"] = f.prompts_identical;
    j["replayed"] = f.replayed;
    j["endpoints"] = servers;
    fleet.push_back(j);
  }
  return {{"model", o.model},           {"model_note", o.model_note},     {"threads", o.threads},
          {"max_tokens", o.max_tokens}, {"server", r.server_version},     {"load_average", r.load_average},
          {"sharing_off", r.sharing_note}, {"prompts_identical", r.all_identical()}, {"rows", rows},
          {"fleet_parallel", r.fleet_parallel}, {"fleet", fleet}};
}

}  // namespace scale::bench
