package org.critmin.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.critmin.CommandResult;
import org.critmin.ingest.CsvLine;
import org.junit.jupiter.api.Test;

class ComtradeGeneratorTest {

  private static String generate(long seed, boolean monthly) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ComtradeGenerator.fromReference(Path.of(CommandResult.home(), "conf/reference"), seed)
        .write(out, 3000, 2021, 2022, monthly, 1.0);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sameSeedSameFile() throws IOException {
    assertEquals(generate(5, false), generate(5, false));
    assertTrue(!generate(5, false).equals(generate(6, false)));
  }

  @Test
  void partnersAddUpToTheWorldRowAndEveryRowHas47Fields() throws IOException {
    List<String> lines = generate(11, true).lines().toList();
    assertEquals(ComtradeGenerator.HEADER, lines.get(0));
    assertTrue(lines.size() > 3000);
    List<String> header = List.of(lines.get(0).split(","));
    assertEquals(47, header.size());
    CsvLine csv = new CsvLine(',');
    Map<String, Long> world = new HashMap<>();
    Map<String, Long> partners = new HashMap<>();
    Set<String> periods = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      assertEquals(CsvLine.Status.OK, csv.split(bytes, bytes.length));
      assertEquals(47, csv.fieldCount(), line);
      String key = String.join("|", text(csv, header, "reporterCode"),
          text(csv, header, "flowCode"), text(csv, header, "cmdCode"),
          text(csv, header, "period"));
      long value = Long.parseLong(text(csv, header, "primaryValue"));
      periods.add(text(csv, header, "period"));
      if (text(csv, header, "partnerCode").equals("0")) {
        world.merge(key, value, Long::sum);
      } else {
        partners.merge(key, value, Long::sum);
      }
    }
    assertEquals(world, partners);
    assertTrue(periods.contains("202101") && periods.contains("202212"), periods.toString());
  }

  private static String text(CsvLine csv, List<String> header, String column) {
    return csv.text(header.indexOf(column), StandardCharsets.UTF_8);
  }
}
