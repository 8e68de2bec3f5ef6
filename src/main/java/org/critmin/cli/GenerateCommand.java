package org.critmin.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.Deflater;
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

  /** gzip at the fastest level: the default level compresses slower than the generator writes. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

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
    long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long written;
    try (OutputStream file = Files.newOutputStream(out);
        OutputStream stream = out.toString().endsWith(".gz") ? new FastGzip(file) : file) {
      written = generator.write(stream, rows, from, to, monthly, mineralShare);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart)
        / 1e9;
    // On a shared machine the wall rate depends on the load; the CPU rate is the generator's own.
    System.err.printf("generate: %d rows to %s in %.1f s (%.0f rows/s; %.0f rows per CPU second; "
            + "load average %.1f)%n", written, out, seconds, written / seconds,
        written / cpuSeconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return 0;
  }
}
