package org.critmin.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.critmin.config.UserInputException;
import org.critmin.generate.ComtradeGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a seeded, realistic Comtrade "plus" CSV file ({@code .gz} names are gzipped). */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a realistic Comtrade plus bulk CSV file.")
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--rows", required = true, description = "Data rows to write (about).")
  long rows;

  @Option(names = "--years", defaultValue = "2020-2023", description = "Years Y1-Y2.")
  String years;

  @Option(names = "--monthly", description = "Monthly periods (default annual).")
  boolean monthly;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(names = "--mineral-share", defaultValue = "1.0",
      description = "Share of commodity groups that are mapped mineral codes (0..1); a real bulk "
          + "file has a few percent.")
  double mineralShare;

  @Option(names = "--reference", defaultValue = "conf/reference",
      description = "Folder of countries.csv and hs6_minerals.csv.")
  Path reference;

  @Option(names = "--out", required = true, description = "Output file (.csv or .csv.gz).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!years.matches("\\d{4}-\\d{4}")) {
      throw new UserInputException("--years takes Y1-Y2, e.g. 2020-2023, got '" + years + "'");
    }
    int from = Integer.parseInt(years.substring(0, 4));
    int to = Integer.parseInt(years.substring(5));
    if (from > to || rows <= 0 || mineralShare < 0 || mineralShare > 1) {
      throw new UserInputException("need Y1 <= Y2, --rows > 0 and 0 <= --mineral-share <= 1");
    }
    ComtradeGenerator generator = ComtradeGenerator.fromReference(reference, seed);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    long start = System.nanoTime();
    long written;
    try (OutputStream file = Files.newOutputStream(out);
        OutputStream stream = out.toString().endsWith(".gz")
            ? new GZIPOutputStream(file, 1 << 16) : file;
        Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
            1 << 20)) {
      written = generator.write(writer, rows, from, to, monthly, mineralShare);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf("generate: %d rows to %s in %.1f s (%.0f rows/s)%n", written, out, seconds,
        written / seconds);
    return 0;
  }
}
