// RowDescription, DataRow and CommandComplete for a pgwire client.
#include "plexus/server/pgwire/result_writer.h"

#include "plexus/server/pgwire/binary_format.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/protocol.h"
#include "plexus/server/pgwire/statement_metrics.h"
#include "plexus/sql/func/cast.h"

namespace plexus::server::pgwire {

using catalog::TypeId;

int32_t WireTypmod(const catalog::Type& type) {
  if (type.typmod == catalog::kNoTypmod) return -1;
  switch (type.id) {
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kNumeric:
      return type.typmod + 4;  // VARHDRSZ, as PostgreSQL stores these typmods
    case TypeId::kArray:
      // An array column reports its element's modifier (varchar(10)[] is 14).
      if (type.element == TypeId::kVarchar || type.element == TypeId::kChar ||
          type.element == TypeId::kNumeric) {
        return type.typmod + 4;
      }
      return type.typmod;
    default:
      return type.typmod;
  }
}

namespace {

int16_t FormatOf(const std::vector<int16_t>& formats, size_t column) {
  if (formats.empty()) return 0;
  if (formats.size() == 1) return formats[0];
  return column < formats.size() ? formats[column] : 0;
}

}  // namespace

void AppendRowDescription(std::string* out, const std::vector<session::ResultColumn>& columns,
                          const std::vector<int16_t>& formats) {
  MessageWriter writer(out);
  writer.Begin('T').Int16(static_cast<int16_t>(columns.size()));
  for (size_t i = 0; i < columns.size(); ++i) {
    const catalog::Type& type = columns[i].type;
    writer.String(columns[i].name)
        .Int32(static_cast<int32_t>(static_cast<uint32_t>(columns[i].table_oid)))
        .Int16(columns[i].column_number)
        .Int32(static_cast<int32_t>(catalog::TypeOid(type)))
        .Int16(type.id == TypeId::kArray ? -1 : catalog::TypeLength(type.id))
        .Int32(WireTypmod(type))
        .Int16(FormatOf(formats, i));
  }
  writer.End();
}

Status ResultWriter::BeginRows(const std::vector<session::ResultColumn>& columns) {
  types_.clear();
  for (const session::ResultColumn& column : columns) types_.push_back(column.type);
  if (describe_rows_) AppendRowDescription(out_, columns, formats_);
  return Status::Ok();
}

Status ResultWriter::Rows(const sql::Batch& batch) {
  std::string text;
  for (size_t row = 0; row < batch.rows(); ++row) {
    MessageWriter writer(out_);
    writer.Begin('D').Int16(static_cast<int16_t>(batch.column_count()));
    for (size_t column = 0; column < batch.column_count(); ++column) {
      const sql::Vector& vector = batch.column(column);
      if (vector.IsNull(row)) {
        writer.Int32(-1);
        continue;
      }
      text.clear();
      if (FormatOf(formats_, column) == 1) {
        PLEXUS_RETURN_IF_ERROR(EncodeBinary(vector, row, &text));
      } else {
        PLEXUS_RETURN_IF_ERROR(sql::FormatText(vector, row, &text));
      }
      writer.Int32(static_cast<int32_t>(text.size())).Bytes(text);
    }
    writer.End();
  }
  rows_sent_ += batch.rows();
  return flush_();
}

Status ResultWriter::Complete(std::string_view command_tag) {
  completed_any_ = true;
  if (command_tag.empty()) {
    MessageWriter(out_).Begin('I').End();  // EmptyQueryResponse (a portal of an empty query)
    return Status::Ok();
  }
  MessageWriter(out_).Begin('C').String(command_tag).End();
  const auto now = std::chrono::steady_clock::now();
  RecordStatement(command_tag, now - statement_started_);
  statement_started_ = now;
  return Status::Ok();
}

void ResultWriter::Notice(const session::NoticeMessage& notice) {
  AppendNoticeResponse(out_, session::NoticeSeverityName(notice.severity), notice.sql_state,
                       notice.message);
}

void ResultWriter::ParameterChanged(std::string_view name, std::string_view value) {
  MessageWriter(out_).Begin('S').String(name).String(value).End();
}

}  // namespace plexus::server::pgwire
