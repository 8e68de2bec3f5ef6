package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.critmin.CritminProcess;
import org.critmin.GoldCheck;
import org.critmin.SparkProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/submit --master 'local[2]' pipeline} as a user runs it before scheduling: Spark's
 * launcher and SparkSubmit from the Maven-resolved jars, the shaded application jar alone (no
 * {@code --jars}), the configuration and reference tables shipped inside it, and a spark-submit
 * {@code --conf} that overrides the configuration file's value for the same key.
 */
@Tag("system")
class SubmitTest {
  @TempDir
  static Path dir;

  @Test
  void pipelineRunsFromTheApplicationJarThroughSparkSubmitOnLocal2() throws Exception {
    Path input = GoldCheck.nickelInput(dir);
    Path warehouse = dir.resolve("warehouse");
    Path log = dir.resolve("submit.log");
    long start = System.nanoTime();
    int code = SparkProcesses.submit(log, Duration.ofMinutes(20), Map.of(),
        "--master", "local[2]", "--driver-memory", "1500m", "--verbose",
        "--conf", "spark.ui.enabled=false",
        // The file says 4 (--set below); what the submitter says wins.
        "--conf", "spark.sql.shuffle.partitions=3",
        "pipeline", "--config", "classpath:critmin/cluster.conf",
        "--input", input.toString(), "--warehouse", warehouse.toString(),
        "--set", "database_prefix=submit", "--set", "spark.shuffle_partitions=4",
        CritminProcess.SHORT_SHOCKS.get(0), CritminProcess.SHORT_SHOCKS.get(1));
    System.out.printf("SubmitTest: jobs/submit local[2] pipeline in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, code, SparkProcesses.tail(log));
    // SparkSubmit ran the shaded jar with the critmin class and nothing beside it.
    assertTrue(Pattern.compile("mainClass +org\\.critmin\\.cli\\.Critmin\\b")
        .matcher(output).find(), output);
    assertTrue(Pattern.compile("primaryResource +file:\\S*/target/critmin-[^/\\s]+-all\\.jar")
        .matcher(output).find(), output);
    assertTrue(Pattern.compile("^ *jars +null$", Pattern.MULTILINE).matcher(output).find(),
        "no --jars: " + output);
    assertTrue(output.contains("reference tables from classpath:critmin/reference"), output);
    assertTrue(Pattern.compile("application local-\\d+ on local\\[2\\]: 3 shuffle partitions")
        .matcher(output).find(), "spark-submit's --conf wins: " + output);

    GoldCheck.assertJapanNickelOre2014("submit", "--warehouse", warehouse.toString());
  }
}
