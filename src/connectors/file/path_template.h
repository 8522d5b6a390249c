// PathTemplate: the file sink's `path`, in the one template language of destinations (plugin/record_template.h):
// event time ({date}, {hour}, ...), record attributes ({topic}, {table}, {key}, ...), value fields ({name}) and
// {n}, the part number that counts up as files roll. Everything but {n} selects the partition a record goes to;
// {n} tells apart the files of one partition. A '/' inside a placeholder's text becomes '_': records never
// make folders of their own.
#pragma once

#include <cstdint>
#include <string>

#include "core/record.h"
#include "core/result.h"
#include "plugin/record_template.h"

namespace pipeline::file {

class PathTemplate {
 public:
  static Result<PathTemplate> Parse(const std::string& text);

  bool has_part_number() const { return template_.has_part_number(); }
  bool uses_topic() const { return template_.uses_topic(); }
  // True when the path depends on more than the topic and the event time: rendered for every record.
  bool uses_record_contents() const { return template_.uses_record_contents(); }
  // Records whose event times fall in the same bucket of this many ms render the same path (0 = time unused).
  int64_t time_bucket_ms() const { return template_.time_bucket_ms(); }

  // The partition: the path with {n} left as is.
  std::string Partition(const Record& record) const;
  // The full path of part `n` of a partition.
  static std::string WithPart(const std::string& partition, int64_t n);
  const std::string& text() const { return template_.text(); }

 private:
  RecordTemplate template_;
};

}  // namespace pipeline::file
