#include "plugin/record_template.h"

#include <chrono>
#include <cstdio>
#include <utility>

#include "formats/json.h"

namespace pipeline {

namespace {

constexpr int64_t kMinuteMs = 60000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

struct Reserved {
  std::string_view name;
  int kind;  // RecordTemplate::Kind, as int: the enum is private
  int64_t bucket_ms;
};

bool IsFieldName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' || c == '@')) return false;
  return true;
}

// One edit (a letter missing, extra or changed) apart: {dat}, {topics}, {hoour}.
bool OneEditApart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1 || a == b) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

void AppendEscaped(std::string_view text, std::string& out, char (*escape)(char)) {
  if (!escape) {
    out += text;
    return;
  }
  for (char c : text) out.push_back(escape(c));
}

// A value as template text: strings as they are, other values as JSON, a missing field as "null".
void AppendValue(const Value* v, std::string& out, char (*escape)(char)) {
  if (!v) return AppendEscaped("null", out, escape);
  if (v->is_string()) return AppendEscaped(v->as_string(), out, escape);
  AppendEscaped(ToJson(*v), out, escape);
}

}  // namespace

Result<RecordTemplate::Piece> RecordTemplate::ParsePlaceholder(std::string_view name, std::string_view whole,
                                                               bool allow_part_number) {
  static const Reserved kReserved[] = {
      {"topic", static_cast<int>(Kind::kTopic), 0},       {"table", static_cast<int>(Kind::kTable), 0},
      {"key", static_cast<int>(Kind::kKey), 0},           {"partition", static_cast<int>(Kind::kPartition), 0},
      {"position", static_cast<int>(Kind::kPosition), 0}, {"timestamp", static_cast<int>(Kind::kTimestamp), 0},
      {"date", static_cast<int>(Kind::kDate), kDayMs},    {"year", static_cast<int>(Kind::kYear), kDayMs},
      {"month", static_cast<int>(Kind::kMonth), kDayMs},  {"day", static_cast<int>(Kind::kDay), kDayMs},
      {"hour", static_cast<int>(Kind::kHour), kHourMs},   {"minute", static_cast<int>(Kind::kMinute), kMinuteMs},
      {"n", static_cast<int>(Kind::kPart), 0},
  };
  const std::string where = " in template '" + std::string(whole) + "'";
  for (const auto& r : kReserved) {
    if (name != r.name) continue;
    if (r.kind == static_cast<int>(Kind::kPart) && !allow_part_number)
      return ConfigError("{n} (a part number) is only for sinks that roll parts" + where);
    return Piece{static_cast<Kind>(r.kind), r.kind == static_cast<int>(Kind::kPart) ? "{n}" : "", {}};
  }
  std::string_view field = name.substr(0, 6) == "value." ? name.substr(6) : name;
  Piece piece{Kind::kField, "", {}};
  size_t start = 0;
  while (start <= field.size()) {
    size_t dot = std::min(field.find('.', start), field.size());
    std::string_view part = field.substr(start, dot - start);
    if (!IsFieldName(part))
      return ConfigError("unknown placeholder {" + std::string(name) + "}" + where +
                         ": expected a record attribute (topic, table, key, partition, position, timestamp, date, "
                         "year, month, day, hour, minute" + (allow_part_number ? ", n" : "") +
                         ") or a value field such as {name} or {a.b}; write {{ for a literal brace");
    piece.path.emplace_back(part);
    start = dot + 1;
  }
  if (field == name) {  // a bare name that is almost a reserved one is more likely a typo than a field
    for (const auto& r : kReserved)
      if (OneEditApart(name, r.name) && r.name.size() > 2)
        return ConfigError("unknown placeholder {" + std::string(name) + "}" + where + " (did you mean {" +
                           std::string(r.name) + "}? For a value field of that name write {value." +
                           std::string(name) + "})");
  }
  return piece;
}

void RecordTemplate::Note(Kind kind) {
  switch (kind) {
    case Kind::kPart: has_part_number_ = true; break;
    case Kind::kTopic:
    case Kind::kTable: uses_topic_ = true; break;
    case Kind::kKey:
    case Kind::kPartition:
    case Kind::kPosition:
    case Kind::kTimestamp:
    case Kind::kField: uses_contents_ = true; break;
    default: break;
  }
}

Result<RecordTemplate> RecordTemplate::Parse(std::string_view text, bool allow_part_number) {
  RecordTemplate t;
  t.text_ = std::string(text);
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) t.pieces_.push_back({Kind::kText, std::move(literal), {}});
    literal.clear();
  };
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {  // {{ or }}
      literal.push_back(c);
      i += 2;
      continue;
    }
    if (c == '}') return ConfigError("a single '}' in template '" + t.text_ + "' (write }} for a literal brace)");
    if (c != '{') {
      literal.push_back(c);
      ++i;
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos)
      return ConfigError("unclosed '{' in template '" + t.text_ + "' (write {{ for a literal brace)");
    auto piece = ParsePlaceholder(text.substr(i + 1, close - i - 1), text, allow_part_number);
    if (!piece.ok()) return piece.error();
    flush_literal();
    static const std::pair<Kind, int64_t> kBuckets[] = {{Kind::kDate, kDayMs},   {Kind::kYear, kDayMs},
                                                         {Kind::kMonth, kDayMs},  {Kind::kDay, kDayMs},
                                                         {Kind::kHour, kHourMs},  {Kind::kMinute, kMinuteMs}};
    for (auto [kind, bucket] : kBuckets)
      if (piece->kind == kind && (t.time_bucket_ms_ == 0 || bucket < t.time_bucket_ms_)) t.time_bucket_ms_ = bucket;
    t.Note(piece->kind);
    t.pieces_.push_back(std::move(*piece));
    i = close + 1;
  }
  flush_literal();
  return t;
}

RecordTemplate::EventTime RecordTemplate::EventTimeOf(const Record& r) const {
  using namespace std::chrono;
  EventTime t;
  if (time_bucket_ms_) {
    sys_time<milliseconds> at{milliseconds{r.timestamp}};
    auto day = floor<days>(at);
    t.ymd = year_month_day{day};
    hh_mm_ss<milliseconds> tod{at - day};
    t.hour = static_cast<int>(tod.hours().count());
    t.minute = static_cast<int>(tod.minutes().count());
  }
  return t;
}

void RecordTemplate::Render(const Record& r, std::string& out, char (*escape)(char)) const {
  const EventTime t = EventTimeOf(r);
  for (const auto& p : pieces_) AppendPiece(p, r, t, out, escape);
}

void RecordTemplate::RenderInserting(const Record& r, std::string& out, Inserter insert) const {
  const EventTime t = EventTimeOf(r);
  std::string scratch;
  for (const auto& p : pieces_) {
    if (p.kind == Kind::kText || p.kind == Kind::kPart) {
      out += p.text;
      continue;
    }
    scratch.clear();
    AppendPiece(p, r, t, scratch, nullptr);
    insert(scratch, out);
  }
}

void RecordTemplate::AppendPiece(const Piece& p, const Record& r, const EventTime& t, std::string& out,
                                 char (*escape)(char)) const {
  char buf[24];
  auto two = [&](unsigned v) {
    std::snprintf(buf, sizeof buf, "%02u", v);
    out += buf;
  };
  switch (p.kind) {
    case Kind::kText: out += p.text; break;
    case Kind::kPart: out += p.text; break;
    case Kind::kTopic: AppendEscaped(r.topic, out, escape); break;
    case Kind::kTable: {
      size_t dot = r.topic.rfind('.');
      AppendEscaped(dot == std::string::npos ? r.topic : std::string_view(r.topic).substr(dot + 1), out, escape);
      break;
    }
    case Kind::kKey: AppendValue(&r.key, out, escape); break;
    case Kind::kPartition: out += std::to_string(r.partition); break;
    case Kind::kPosition: AppendEscaped(r.position.ToString(), out, escape); break;
    case Kind::kTimestamp: out += std::to_string(r.timestamp); break;
    case Kind::kDate:
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(t.ymd.year()),
                    static_cast<unsigned>(t.ymd.month()), static_cast<unsigned>(t.ymd.day()));
      out += buf;
      break;
    case Kind::kYear: out += std::to_string(static_cast<int>(t.ymd.year())); break;
    case Kind::kMonth: two(static_cast<unsigned>(t.ymd.month())); break;
    case Kind::kDay: two(static_cast<unsigned>(t.ymd.day())); break;
    case Kind::kHour: two(static_cast<unsigned>(t.hour)); break;
    case Kind::kMinute: two(static_cast<unsigned>(t.minute)); break;
    case Kind::kField: {
      const Value* v = &r.value;
      for (const auto& name : p.path) v = v && v->is_struct() ? v->Field(name) : nullptr;
      AppendValue(v, out, escape);
      break;
    }
  }
}

std::string RecordTemplate::Render(const Record& record) const {
  std::string out;
  Render(record, out);
  return out;
}

}  // namespace pipeline
