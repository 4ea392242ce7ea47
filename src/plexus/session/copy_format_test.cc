#include "plexus/session/copy_format.h"

#include <gtest/gtest.h>

namespace plexus::session {
namespace {

CopyFormat Text() { return CopyFormat(); }

CopyFormat Csv() {
  CopyFormat format;
  format.csv = true;
  format.delimiter = ',';
  format.null_text = "";
  return format;
}

// Every record of `data`, fed in pieces of `piece` bytes; "ERROR <state>" on failure.
std::vector<CopyRecord> Parse(const CopyFormat& format, std::string_view data, size_t piece,
                              std::string* error = nullptr) {
  CopyParser parser(format);
  std::vector<CopyRecord> records;
  CopyRecord record;
  for (size_t offset = 0;; offset += piece) {
    const bool at_end = offset >= data.size();
    if (!at_end) parser.Feed(data.substr(offset, piece));
    while (true) {
      Result<bool> next = parser.Next(at_end, &record);
      if (!next.ok()) {
        if (error) *error = std::string(next.status().sql_state());
        return records;
      }
      if (!*next) break;
      records.push_back(record);
    }
    if (at_end) return records;
  }
}

CopyRecord Row(std::initializer_list<std::optional<std::string>> fields) { return fields; }

TEST(CopyFormatTest, TextEscapesNullsAndEndMarker) {
  const std::string data = "1\tab\\tc\t\\N\n2\t\\\\x\\101\\x41\t\n\\.\nignored\n";
  for (size_t piece : {1, 2, 3, 7, 1000}) {
    const std::vector<CopyRecord> records = Parse(Text(), data, piece);
    ASSERT_EQ(records.size(), 2u) << piece;
    EXPECT_EQ(records[0], Row({"1", "ab\tc", std::nullopt}));
    EXPECT_EQ(records[1], Row({"2", "\\xAA", ""}));
  }
}

TEST(CopyFormatTest, TextLastLineWithoutNewlineAndCrLf) {
  const std::vector<CopyRecord> records = Parse(Text(), "a\tb\r\nc\td", 3);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], Row({"a", "b"}));
  EXPECT_EQ(records[1], Row({"c", "d"}));
}

TEST(CopyFormatTest, CsvQuotesAcrossChunks) {
  const std::string data = "1,\"a,b\",\"\"\n2,\"line\nbreak\",\n3,\"say \"\"hi\"\"\",x\n";
  for (size_t piece : {1, 2, 5, 1000}) {
    const std::vector<CopyRecord> records = Parse(Csv(), data, piece);
    ASSERT_EQ(records.size(), 3u) << piece;
    EXPECT_EQ(records[0], Row({"1", "a,b", ""}));
    EXPECT_EQ(records[1], Row({"2", "line\nbreak", std::nullopt}));
    EXPECT_EQ(records[2], Row({"3", "say \"hi\"", "x"}));
  }
}

TEST(CopyFormatTest, CsvUnterminatedQuoteIsBadFormat) {
  std::string error;
  Parse(Csv(), "1,\"open\n", 4, &error);
  EXPECT_EQ(error, "22P04");
}

TEST(CopyFormatTest, FieldsWrittenReadBackTheSame) {
  const std::vector<std::string> values = {"plain", "tab\there", "new\nline", "back\\slash",
                                           "comma,quote\"", "", "\\.", "\\N"};
  for (const CopyFormat& format : {Text(), Csv()}) {
    std::string data;
    for (const std::string& value : values) {
      AppendCopyField(format, value, &data);
      data.push_back(format.delimiter);
      AppendCopyNull(format, &data);
      data.push_back('\n');
    }
    const std::vector<CopyRecord> records = Parse(format, data, 3);
    ASSERT_EQ(records.size(), values.size()) << format.csv;
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(records[i], Row({values[i], std::nullopt})) << format.csv << " " << values[i];
    }
  }
}

}  // namespace
}  // namespace plexus::session

namespace plexus::session {
namespace {

TEST(CopyFormatTest, BinaryFramingInAnyPieces) {
  CopyFormat format;
  format.binary = true;
  std::string data;
  AppendBinaryCopyHeader(&data);
  AppendBinaryCopyFieldCount(2, &data);
  const size_t length_at = data.size();
  data.append(4, '\0');
  data.append("abc");
  FinishBinaryCopyField(length_at, &data);
  AppendBinaryCopyNull(&data);
  AppendBinaryCopyTrailer(&data);
  data.append("ignored after the trailer");
  for (size_t piece : {1, 2, 5, 1000}) {
    const std::vector<CopyRecord> records = Parse(format, data, piece);
    ASSERT_EQ(records.size(), 1u) << piece;
    EXPECT_EQ(records[0], Row({"abc", std::nullopt}));
  }
  std::string error;
  Parse(format, "PGCOPY\nXXXXXXXXXXXXXXXXXXXX", 4, &error);
  EXPECT_EQ(error, "22P04");
  error.clear();
  Parse(format, data.substr(0, 25), 4, &error);  // a row cut short at the end of the data
  EXPECT_EQ(error, "22P04");
}

}  // namespace
}  // namespace plexus::session
