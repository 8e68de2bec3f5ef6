package org.critmin.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side CSV reader of the reference files, on real malformed files. */
class ReferenceCsvTest {
  private static final StructType SCHEMA = new StructType()
      .add("code", DataTypes.IntegerType, false)
      .add("name", DataTypes.StringType, true)
      .add("share", DataTypes.DoubleType, true)
      .add("linked", DataTypes.BooleanType, true);

  @TempDir
  Path dir;

  private List<Row> read(String text) throws IOException {
    Path file = dir.resolve("ref.csv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return ReferenceCsv.read(new Configuration(), file.toString(), SCHEMA);
  }

  private String problem(String text) {
    return assertThrows(UserInputException.class, () -> read(text)).getMessage();
  }

  @Test
  void readsQuotedFieldsDoubledQuotesLineBreaksAndEmptyValues() throws IOException {
    List<Row> rows = read("\uFEFFcode,name,share,linked\r\n"
        + "156,\"China, People's Republic\",0.5,true\r\n"
        + "344,\"Hong Kong \"\"SAR\"\"\",,FALSE\n"
        + "446,\"Macao\nSAR\", 1e-3 ,\n"
        + "\n"
        + "392,Japan,2,false");
    assertEquals(4, rows.size());
    assertEquals("China, People's Republic", rows.get(0).getString(1));
    assertEquals(156, rows.get(0).getInt(0));
    assertEquals("Hong Kong \"SAR\"", rows.get(1).getString(1));
    assertNull(rows.get(1).get(2));
    assertEquals(false, rows.get(1).getBoolean(3));
    assertEquals("Macao\nSAR", rows.get(2).getString(1));
    assertEquals(0.001, rows.get(2).getDouble(2));
    assertNull(rows.get(2).get(3));
    assertEquals(2.0, rows.get(3).getDouble(2));
  }

  @Test
  void problemsNameTheFileTheDataRowAndTheColumn() {
    String header = "code,name,share,linked\n";
    String badNumber = problem(header + "1,a,0.1,true\n2,b,lots,true\n");
    assertTrue(badNumber.contains("ref.csv, data row 2: share 'lots' is not a number"),
        badNumber);
    String missing = problem(header + "1,a,0.1,true\n,b,0.2,false\n");
    assertTrue(missing.contains("data row 2: no value for code"), missing);
    String fields = problem(header + "1,a,0.1\n");
    assertTrue(fields.contains("data row 1: 3 fields, the header has 4"), fields);
    String bool = problem(header + "1,a,0.1,yes\n");
    assertTrue(bool.contains("linked 'yes' is not true or false"), bool);
    String columns = problem("code,label,share,linked\n1,a,0.1,true\n");
    assertTrue(columns.contains("does not hold the columns code,name,share,linked (its header: "
        + "code,label,share,linked)"), columns);
    String open = problem(header + "1,\"a,0.1,true\n");
    assertTrue(open.contains("a quoted field is not closed"), open);
    String after = problem(header + "1,\"a\"x,0.1,true\n");
    assertTrue(after.contains("text after a closing quote"), after);
    String absent = assertThrows(UserInputException.class, () -> ReferenceCsv.read(
        new Configuration(), dir.resolve("none.csv").toString(), SCHEMA)).getMessage();
    assertTrue(absent.contains("reference file not found or unreadable"), absent);
  }
}
