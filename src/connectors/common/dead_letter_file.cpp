#include "connectors/common/dead_letter_file.h"

namespace pipeline {

Status DeadLetterFile::Open(const std::string& path, std::string component) {
  auto opened = OpenDeadLetterQueue(path);
  if (!opened.ok()) return opened.error();
  queue_ = std::move(*opened);
  component_ = std::move(component);
  return {};
}

Status DeadLetterFile::Append(const Position& at, std::string_view error, std::string_view raw) {
  Record record;
  record.topic = component_;
  record.offset = at.major;
  record.position = at;
  DeadLetter letter{.stage = FailedStage::kDecode,
                    .component = component_,
                    .error = DataError(std::string(error)),
                    .record = &record,
                    .undecoded = raw};
  PIPE_RETURN_IF_ERROR(queue_->Write(letter));
  ++count_;
  return {};
}

void DeadLetterFile::Close() {
  if (queue_) (void)queue_->Sync();  // a last sync for letters no commit covered (the process is ending)
  queue_.reset();
}

}  // namespace pipeline
