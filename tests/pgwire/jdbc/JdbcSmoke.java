// JDBC smoke test (PostgreSQL's driver, Debian's libpostgresql-jdbc-java) against plexus serve:
// connect, a prepared statement with parameters, ResultSet metadata, a transaction rolled back
// and one committed. Prints one line per check; tests/pgwire/test_jdbc.py compares them.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

public class JdbcSmoke {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/plexus";
    try (Connection connection = DriverManager.getConnection(url, "tester", "")) {
      System.out.println("product " + connection.getMetaData().getDatabaseProductName());
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS jdbc_items");
        statement.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, name varchar(20), "
            + "price numeric(8,2), added timestamptz)");
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO jdbc_items VALUES (?, ?, ?, now())")) {
        for (int i = 1; i <= 3; i++) {
          insert.setInt(1, i);
          insert.setString(2, "item " + i);
          insert.setBigDecimal(3, new java.math.BigDecimal(i + ".50"));
          insert.executeUpdate();  // the fifth execution switches the driver to a named statement
        }
      }
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT id, name, price FROM jdbc_items WHERE id >= ? ORDER BY id")) {
        for (int round = 0; round < 6; round++) {
          query.setInt(1, 2);
          try (ResultSet rows = query.executeQuery()) {
            StringBuilder line = new StringBuilder("rows");
            while (rows.next()) {
              line.append(' ').append(rows.getInt(1)).append('/').append(rows.getString(2))
                  .append('/').append(rows.getBigDecimal(3));
            }
            if (round == 5) System.out.println(line);
            if (round == 5) {
              ResultSetMetaData meta = rows.getMetaData();
              StringBuilder columns = new StringBuilder("meta");
              for (int c = 1; c <= meta.getColumnCount(); c++) {
                columns.append(' ').append(meta.getColumnName(c)).append(':')
                    .append(meta.getColumnTypeName(c)).append(':').append(meta.getTableName(c))
                    .append(':').append(meta.isNullable(c));
              }
              System.out.println(columns);
            }
          }
        }
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("DELETE FROM jdbc_items WHERE id = 1");
        connection.rollback();
        statement.executeUpdate("UPDATE jdbc_items SET name = 'renamed' WHERE id = 3");
        connection.commit();
        try (ResultSet rows = statement.executeQuery(
            "SELECT count(*), max(name) FROM jdbc_items")) {
          rows.next();
          System.out.println("after " + rows.getLong(1) + " " + rows.getString(2));
        }
        connection.commit();
      }
    }
  }
}
