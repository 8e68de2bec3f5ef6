package org.critmin.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.critmin.LogCapture;
import org.critmin.config.CritminConfig.WriterLockSettings;
import org.critmin.config.UserInputException;
import org.critmin.delta.WriterLock.Holder;
import org.critmin.delta.WriterLock.Kind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse writer lock, without Spark: a second writer waits and then fails naming the
 * holder, gets the lock once the holder closes it, and takes over the lock of a run that died,
 * both the operating-system lock of the local disk (held by a child JVM killed with kill -9) and
 * the heartbeat file of other file systems (here on the local disk through Hadoop).
 */
@Tag("e2e")
class WriterLockTest {
  private static final Configuration HADOOP = new Configuration();

  @TempDir
  Path dir;

  private String root() {
    return "file:" + dir.toAbsolutePath();
  }

  private static WriterLockSettings waitSeconds(int seconds) {
    return new WriterLockSettings(seconds, 300);
  }

  @Test
  void aSecondWriterInThisJvmWaitsThenFailsNamingTheHolder() {
    Holder first = Holder.of("20260101T000000Z-first", "pipeline");
    try (WriterLock held = WriterLock.acquire(root(), HADOOP, first, waitSeconds(5))) {
      long t0 = System.nanoTime();
      UserInputException refused = assertThrows(UserInputException.class, () -> WriterLock
          .acquire(root(), HADOOP, Holder.of("20260101T000001Z-second", "ingest"),
              waitSeconds(1)));
      double waited = (System.nanoTime() - t0) / 1e9;
      assertTrue(waited >= 0.9 && waited < 5, "waited " + waited + " s");
      assertEquals("the warehouse " + root() + " is being written by " + first + "; waited 1 s "
          + "for its writer lock (writer_lock.wait_seconds), the file " + root() + "/"
          + WriterLock.FILE_NAME, refused.getMessage());
      assertTrue(refused.getMessage().contains("run 20260101T000000Z-first (pipeline, pid "
          + ProcessHandle.current().pid() + " on host "), refused.getMessage());
      assertTrue(held.held(), "a refused writer leaves the holder's lock alone");
    }
  }

  @Test
  void aWaitingWriterTakesTheLockOnceTheHolderCloses() throws Exception {
    WriterLock first = WriterLock.acquire(root(), HADOOP, Holder.of("run-1", "pipeline"),
        waitSeconds(0));
    Holder second = Holder.of("run-2", "maintain");
    CompletableFuture<WriterLock> waiting = CompletableFuture.supplyAsync(
        () -> WriterLock.acquire(root(), HADOOP, second, waitSeconds(20)));
    Thread.sleep(700);
    assertFalse(waiting.isDone(), "the second writer waits while the first holds the lock");
    first.close();
    try (WriterLock taken = waiting.get(5, TimeUnit.SECONDS)) {
      assertTrue(taken.held());
      assertEquals(second, Holder.parse(Files.readString(dir.resolve(WriterLock.FILE_NAME))),
          "the lock file names the new holder");
    }
    assertEquals("", Files.readString(dir.resolve(WriterLock.FILE_NAME)),
        "a released lock file names nobody");
  }

  @Test
  void theLockOfAKilledProcessIsFreeAtOnce() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(),
        root()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("held")) {
        // the child's log lines, if any
      }
      assertEquals("held", line, "the child took the lock");
      UserInputException refused = assertThrows(UserInputException.class, () -> WriterLock
          .acquire(root(), HADOOP, Holder.of("run-parent", "pipeline"), waitSeconds(1)));
      assertTrue(refused.getMessage().contains("run run-child (pipeline, pid " + child.pid()),
          "the holder is read from the lock file of another process: " + refused.getMessage());
    } finally {
      child.destroyForcibly();  // SIGKILL: the child releases nothing itself
      child.waitFor(10, TimeUnit.SECONDS);
    }
    long t0 = System.nanoTime();
    try (WriterLock taken = WriterLock.acquire(root(), HADOOP, Holder.of("run-after", "pipeline"),
        waitSeconds(0))) {
      assertTrue(taken.held());
    }
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "no waiting");
  }

  /** The child process: takes the lock of the warehouse {@code args[0]} and keeps it. */
  public static final class HoldLock {
    public static void main(String[] args) throws Exception {
      WriterLock.acquire(args[0], new Configuration(), Holder.of("run-child", "pipeline"),
          new WriterLockSettings(0, 300));
      System.out.println("held");
      System.out.flush();
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
  }

  @Test
  void aHeartbeatFileIsTakenOverOnlyOnceStale() throws Exception {
    Path file = dir.resolve(WriterLock.FILE_NAME);
    Holder dead = new Holder("run-dead", "pipeline", "elsewhere", 4242,
        Instant.parse("2026-01-01T00:00:00Z"));
    Files.writeString(file, dead.text());
    UserInputException refused = assertThrows(UserInputException.class, () -> WriterLock.acquire(
        root(), HADOOP, Holder.of("run-new", "pipeline"), waitSeconds(1), Kind.HEARTBEAT_FILE));
    assertTrue(refused.getMessage().contains("written by " + dead + ";"), refused.getMessage());

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(301)));
    Holder next = Holder.of("run-new", "pipeline");
    try (LogCapture logs = new LogCapture();
        WriterLock taken = WriterLock.acquire(root(), HADOOP, next, waitSeconds(0),
            Kind.HEARTBEAT_FILE)) {
      assertTrue(taken.held());
      assertEquals(next, Holder.parse(Files.readString(file)));
      assertTrue(logs.text().contains("WARN org.critmin.delta.WriterLock: taking over the writer "
          + "lock " + root() + "/" + WriterLock.FILE_NAME + " of " + dead + ": not renewed for "
          + "301 s"), logs.text());
    }
    assertFalse(Files.exists(file), "released: the heartbeat file is deleted");
  }

  @Test
  void aHolderRenewsItsHeartbeatFileSoItNeverGoesStale() {
    // A staleness limit of 1 s, renewed every 0.25 s: a writer that waits 2 s never sees it stale.
    WriterLockSettings quick = new WriterLockSettings(2, 1);
    Holder holder = Holder.of("run-alive", "pipeline");
    try (WriterLock held = WriterLock.acquire(root(), HADOOP, holder, quick,
        Kind.HEARTBEAT_FILE)) {
      UserInputException refused = assertThrows(UserInputException.class, () -> WriterLock
          .acquire(root(), HADOOP, Holder.of("run-other", "pipeline"), quick,
              Kind.HEARTBEAT_FILE));
      assertTrue(refused.getMessage().contains("written by " + holder + ";"),
          refused.getMessage());
      assertTrue(held.held());
    }
    assertEquals(List.of(), List.of(dir.toFile().list()).stream()
        .filter(name -> name.contains(WriterLock.FILE_NAME)).toList(),
        "released: the lock file (and Hadoop's checksum of it) deleted");
  }
}
