// Catalog: definitions round-trip through storage, DDL is transactional, names are unique.
#include "plexus/catalog/catalog.h"

#include <gtest/gtest.h>

#include "plexus/base/temp_dir.h"
#include "plexus/storage/store.h"

namespace plexus::catalog {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::Store::Open(temp_.path(), Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
  }

  static TableDef SampleTable() {
    TableDef def;
    def.name = "accounts";
    def.columns = {{"id", Type::Of(TypeId::kInt64), true, ""},
                   {"owner", Type{TypeId::kVarchar, 40, TypeId::kUnknown}, false, "'nobody'"},
                   {"balance", Type::Numeric(12, 2), false, "0"},
                   {"tags", Type::ArrayOf(TypeId::kText), false, ""}};
    def.primary_key = {0};
    def.primary_key_name = "accounts_pkey";
    def.indexes = {IndexDef{0, "accounts_owner_idx", {1}, {false}, false}};
    def.checks = {CheckDef{"accounts_balance_check", "balance >= 0"}};
    return def;
  }

  base::TempDir temp_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<txn::TransactionManager> transactions_;
  Catalog catalog_;
};

TEST_F(CatalogTest, CreatedTableReadsBackIdentically) {
  auto transaction = transactions_->Begin();
  TableDef def = SampleTable();
  ASSERT_TRUE(catalog_.CreateTable(*transaction, &def).ok());
  EXPECT_GE(def.id, 16384u);
  EXPECT_NE(def.indexes[0].id, def.id);
  ASSERT_TRUE(transaction->Commit().ok());

  auto reader = transactions_->Begin();
  auto found = catalog_.FindTable(*reader, "public", "accounts");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  const TableDef& table = **found;
  EXPECT_EQ(table.id, def.id);
  ASSERT_EQ(table.columns.size(), 4u);
  EXPECT_EQ(table.columns[1].type, def.columns[1].type);
  EXPECT_EQ(table.columns[2].type.numeric_precision(), 12);
  EXPECT_EQ(table.columns[2].type.numeric_scale(), 2);
  EXPECT_EQ(table.columns[3].type, Type::ArrayOf(TypeId::kText));
  EXPECT_EQ(table.columns[1].default_expression, "'nobody'");
  EXPECT_TRUE(table.columns[0].not_null);
  EXPECT_EQ(table.primary_key, std::vector<uint32_t>{0});
  EXPECT_EQ(table.indexes[0].name, "accounts_owner_idx");
  EXPECT_EQ(table.checks[0].expression, "balance >= 0");
  EXPECT_EQ(table.FindColumn("balance"), 2u);
  EXPECT_FALSE(table.FindColumn("missing").has_value());
}

TEST_F(CatalogTest, DdlRollsBackWithTheTransaction) {
  auto transaction = transactions_->Begin();
  TableDef def = SampleTable();
  ASSERT_TRUE(catalog_.CreateTable(*transaction, &def).ok());
  ASSERT_TRUE(transaction->Rollback().ok());
  auto reader = transactions_->Begin();
  EXPECT_TRUE(catalog_.FindTable(*reader, "public", "accounts").status().IsNotFound());
}

TEST_F(CatalogTest, NamesAreUniqueAcrossTablesAndViews) {
  auto transaction = transactions_->Begin();
  TableDef def = SampleTable();
  ASSERT_TRUE(catalog_.CreateTable(*transaction, &def).ok());
  TableDef again = SampleTable();
  EXPECT_EQ(catalog_.CreateTable(*transaction, &again).code(), StatusCode::kAlreadyExists);
  ViewDef view{"public", "accounts", "SELECT 1", {}};
  EXPECT_EQ(catalog_.CreateView(*transaction, view).code(), StatusCode::kAlreadyExists);
  ViewDef other{"public", "v", "SELECT 1", {"one"}};
  ASSERT_TRUE(catalog_.CreateView(*transaction, other).ok());
  auto found = catalog_.FindView(*transaction, "public", "v");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->query, "SELECT 1");
  EXPECT_EQ((*found)->column_names, std::vector<std::string>{"one"});
}

TEST_F(CatalogTest, DropAndList) {
  auto transaction = transactions_->Begin();
  TableDef first = SampleTable();
  TableDef second = SampleTable();
  second.name = "ledger";
  ASSERT_TRUE(catalog_.CreateTable(*transaction, &first).ok());
  ASSERT_TRUE(catalog_.CreateTable(*transaction, &second).ok());
  auto tables = catalog_.ListTables(*transaction);
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->size(), 2u);
  ASSERT_TRUE(catalog_.DropTable(*transaction, first).ok());
  EXPECT_TRUE(catalog_.FindTable(*transaction, "public", "accounts").status().IsNotFound());
  EXPECT_EQ(catalog_.ListTables(*transaction)->size(), 1u);
}

TEST_F(CatalogTest, Schemas) {
  auto transaction = transactions_->Begin();
  EXPECT_TRUE(catalog_.SchemaExists(*transaction, "public").value());
  EXPECT_FALSE(catalog_.SchemaExists(*transaction, "sales").value());
  ASSERT_TRUE(catalog_.CreateSchema(*transaction, "sales").ok());
  EXPECT_TRUE(catalog_.SchemaExists(*transaction, "sales").value());
  EXPECT_EQ(catalog_.CreateSchema(*transaction, "sales").code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(catalog_.DropSchema(*transaction, "sales").ok());
  EXPECT_FALSE(catalog_.SchemaExists(*transaction, "sales").value());
}

TEST(TypeTest, OidsAndNamesMatchPostgres) {
  EXPECT_EQ(TypeOid(Type::Of(TypeId::kInt32)), 23u);
  EXPECT_EQ(TypeOid(Type::ArrayOf(TypeId::kInt32)), 1007u);
  EXPECT_EQ(TypeFromOid(1043), Type::Of(TypeId::kVarchar));
  EXPECT_EQ(TypeFromOid(1009), Type::ArrayOf(TypeId::kText));
  EXPECT_EQ(FormatType(Type{TypeId::kVarchar, 10, TypeId::kUnknown}), "character varying(10)");
  EXPECT_EQ(FormatType(Type::Numeric(10, 2)), "numeric(10,2)");
  EXPECT_EQ(FormatType(Type::ArrayOf(TypeId::kInt64)), "bigint[]");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kTimestampTz)), "timestamp with time zone");
  EXPECT_EQ(TypeIdFromName("int8"), TypeId::kInt64);
  EXPECT_EQ(TypeIdFromName(TypeName(TypeId::kJsonb)), TypeId::kJsonb);
}

}  // namespace
}  // namespace plexus::catalog
