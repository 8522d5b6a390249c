#include "core/position.h"

#include <charconv>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace pipeline {

namespace {

struct LaneTable {
  std::mutex mu;
  std::deque<std::string> names{std::string()};  // id 0 is kNoLane; a deque never moves its elements
  std::unordered_map<std::string_view, LaneId> ids;
};

LaneTable& Table() {
  static LaneTable* table = new LaneTable;  // never destroyed: records may outlive static destructors
  return *table;
}

bool ParseInt(std::string_view s, int64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

LaneId Lanes::Intern(std::string_view name) {
  LaneTable& t = Table();
  std::lock_guard lock(t.mu);
  if (auto it = t.ids.find(name); it != t.ids.end()) return it->second;
  const std::string& stored = t.names.emplace_back(name);
  auto id = static_cast<LaneId>(t.names.size() - 1);
  t.ids.emplace(stored, id);
  return id;
}

const std::string& Lanes::Name(LaneId lane) {
  LaneTable& t = Table();
  std::lock_guard lock(t.mu);
  return lane < t.names.size() ? t.names[lane] : t.names[0];
}

std::string Position::ToString() const {
  if (!valid()) return {};
  std::string s = Lanes::Name(lane) + "@" + std::to_string(major);
  if (minor != 0) s += "." + std::to_string(minor);
  return s;
}

std::optional<Position> Position::Parse(std::string_view text) {
  size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  std::string_view value = text.substr(at + 1);
  Position p;
  size_t dot = value.find('.');
  if (!ParseInt(value.substr(0, dot), p.major)) return std::nullopt;
  if (dot != std::string_view::npos && !ParseInt(value.substr(dot + 1), p.minor)) return std::nullopt;
  p.lane = Lanes::Intern(text.substr(0, at));
  return p;
}

}  // namespace pipeline
