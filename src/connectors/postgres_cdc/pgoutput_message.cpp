#include "connectors/postgres_cdc/pgoutput_message.h"

namespace pipeline::postgres_cdc {
namespace {

// Reads big-endian integers and strings, remembering the first shortfall instead of reading past the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  bool done() const { return at_ == bytes_.size(); }

  uint64_t Int(size_t width) {
    if (!Have(width)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[at_ + i]);
    at_ += width;
    return v;
  }
  char Byte() { return static_cast<char>(Int(1)); }
  // A NUL-terminated string.
  std::string CString() {
    size_t end = bytes_.find('\0', at_);
    if (end == std::string_view::npos) {
      ok_ = false;
      return {};
    }
    std::string s(bytes_.substr(at_, end - at_));
    at_ = end + 1;
    return s;
  }
  std::string Bytes(size_t n) {
    if (!Have(n)) return {};
    std::string s(bytes_.substr(at_, n));
    at_ += n;
    return s;
  }

 private:
  bool Have(size_t n) {
    if (!ok_ || bytes_.size() - at_ < n) ok_ = false;
    return ok_;
  }
  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

std::optional<Tuple> ReadTuple(ByteReader& in) {
  const auto count = static_cast<size_t>(in.Int(2));
  Tuple row;
  row.reserve(count);
  for (size_t i = 0; i < count && in.ok(); ++i) {
    TupleColumn& column = row.emplace_back();
    switch (in.Byte()) {
      case 'n':
        column.kind = TupleColumn::Kind::kNull;
        break;
      case 'u':
        column.kind = TupleColumn::Kind::kUnchangedToast;
        break;
      case 't':
        column.kind = TupleColumn::Kind::kText;
        column.text = in.Bytes(static_cast<uint32_t>(in.Int(4)));
        break;
      default:
        return std::nullopt;  // 'b' (binary) only comes when asked for, which we never do
    }
  }
  if (!in.ok()) return std::nullopt;
  return row;
}

RelationMessage ReadRelation(ByteReader& in) {
  RelationMessage r;
  r.relation = static_cast<Oid>(in.Int(4));
  r.schema = in.CString();
  r.table = in.CString();
  r.replica_identity = in.Byte();
  const auto count = static_cast<size_t>(in.Int(2));
  for (size_t i = 0; i < count && in.ok(); ++i) {
    RelationColumn& c = r.columns.emplace_back();
    c.key = (in.Byte() & 1) != 0;
    c.name = in.CString();
    c.type = static_cast<Oid>(in.Int(4));
    c.type_modifier = static_cast<int32_t>(in.Int(4));
  }
  return r;
}

Result<PgOutputMessage> Malformed(char type, std::string_view what) {
  return FatalError(std::string("pgoutput message '") + type + "': " + std::string(what));
}

Result<PgOutputMessage> ReadChange(char type, ByteReader& in) {
  ChangeMessage change{.op = type, .relation = static_cast<Oid>(in.Int(4))};
  char tag = in.Byte();
  if (type != 'I' && (tag == 'K' || tag == 'O')) {
    change.old_is_key_only = tag == 'K';
    change.old_row = ReadTuple(in);
    if (!change.old_row) return Malformed(type, "bad old row");
    if (type == 'U') tag = in.Byte();
  }
  if (type != 'D') {
    if (tag != 'N') return Malformed(type, "expected a new row ('N')");
    change.new_row = ReadTuple(in);
    if (!change.new_row) return Malformed(type, "bad new row");
  } else if (!change.old_row) {
    return Malformed(type, "a delete without its old row");
  }
  return PgOutputMessage(std::move(change));
}

}  // namespace

Result<PgOutputMessage> ParsePgOutput(std::string_view bytes) {
  if (bytes.empty()) return FatalError("empty pgoutput message");
  ByteReader in(bytes.substr(1));
  const char type = bytes[0];
  PgOutputMessage message;
  switch (type) {
    case 'B':
      message = BeginMessage{in.Int(8), static_cast<PgTimestamp>(in.Int(8)), static_cast<uint32_t>(in.Int(4))};
      break;
    case 'C': {
      in.Byte();  // flags, unused
      CommitMessage c;
      c.commit_lsn = in.Int(8);
      c.end_lsn = in.Int(8);
      c.commit_time = static_cast<PgTimestamp>(in.Int(8));
      message = c;
      break;
    }
    case 'R':
      message = ReadRelation(in);
      break;
    case 'I':
    case 'U':
    case 'D': {
      auto change = ReadChange(type, in);
      if (!change.ok()) return change;
      message = std::move(change).value();
      break;
    }
    case 'T': {
      TruncateMessage t;
      const auto count = static_cast<size_t>(in.Int(4));
      const auto options = static_cast<uint8_t>(in.Byte());
      t.cascade = (options & 1) != 0;
      t.restart_identity = (options & 2) != 0;
      for (size_t i = 0; i < count && in.ok(); ++i) t.relations.push_back(static_cast<Oid>(in.Int(4)));
      message = std::move(t);
      break;
    }
    case 'Y':
    case 'O':
    case 'M':
      return PgOutputMessage(IgnoredMessage{type});
    default:
      return Malformed(type, "unknown message type");
  }
  if (!in.ok()) return Malformed(type, "shorter than its fields");
  return message;
}

}  // namespace pipeline::postgres_cdc
