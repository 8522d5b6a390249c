// RecordTemplate: the one template language of every option that names a destination or builds a text from a
// record — the file sink's `path`, an Elasticsearch `index`, an HTTP `body`, a database `table`. Placeholders:
//   record attributes   {topic} {table} (the topic after its last dot) {key} {partition} {position} {timestamp}
//   event time (UTC)    {date} (YYYY-MM-DD) {year} {month} {day} {hour} {minute}, zero-padded
//   value fields        {full_name}, nested {a.b}; {value.topic} for a field whose name is reserved
//   part number         {n}, where the sink rolls parts (it fills it in; refused elsewhere)
//   {{ and }}           literal braces
// A placeholder that is neither (empty, not a name, one letter off a reserved name such as {dat}) is an error
// when the pipeline is validated, naming the template.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class RecordTemplate {
 public:
  // `allow_part_number`: the sink fills {n}.
  static Result<RecordTemplate> Parse(std::string_view text, bool allow_part_number = false);

  // Appends the text for `record`; {n} stays "{n}" for the sink. `escape`, if given, rewrites each character a
  // placeholder puts in (the file sink turns '/' into '_' so that a value cannot make folders).
  void Render(const Record& record, std::string& out, char (*escape)(char) = nullptr) const;
  std::string Render(const Record& record) const;
  // Appends the text for `record`, each placeholder's text handed to `insert`, which appends it its own way (the
  // http sink JSON-escapes what goes inside a JSON body); the literal text is copied as is.
  using Inserter = void (*)(std::string_view inserted, std::string& out);
  void RenderInserting(const Record& record, std::string& out, Inserter insert) const;

  const std::string& text() const { return text_; }
  bool has_part_number() const { return has_part_number_; }
  bool uses_topic() const { return uses_topic_; }
  // True when the text depends on more than the topic and the event time (key, value, partition, position).
  bool uses_record_contents() const { return uses_contents_; }
  // Records whose event times fall in the same bucket of this many ms render alike (0 = time unused).
  int64_t time_bucket_ms() const { return time_bucket_ms_; }

 private:
  enum class Kind { kText, kTopic, kTable, kKey, kPartition, kPosition, kTimestamp, kDate, kYear, kMonth, kDay,
                    kHour, kMinute, kPart, kField };
  struct Piece {
    Kind kind;
    std::string text;                // kText: the text; kPart: "{n}"
    std::vector<std::string> path;   // kField: the field names, outermost first
  };
  struct EventTime {
    std::chrono::year_month_day ymd{};
    int hour = 0;
    int minute = 0;
  };
  EventTime EventTimeOf(const Record& record) const;
  void AppendPiece(const Piece& p, const Record& r, const EventTime& t, std::string& out, char (*escape)(char)) const;
  static Result<Piece> ParsePlaceholder(std::string_view name, std::string_view whole, bool allow_part_number);
  void Note(Kind kind);

  std::string text_;
  std::vector<Piece> pieces_;
  bool has_part_number_ = false;
  bool uses_topic_ = false;
  bool uses_contents_ = false;
  int64_t time_bucket_ms_ = 0;
};

}  // namespace pipeline
