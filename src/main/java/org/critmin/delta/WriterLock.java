package org.critmin.delta;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.critmin.config.CritminConfig.WriterLockSettings;
import org.critmin.config.UserInputException;

/**
 * The writer lock of a warehouse, the file {@code <root>/_critmin_writer.lock}: every command that
 * writes holds it for its whole run, so that one run writes a warehouse at a time. A second writer
 * polls for up to {@code writer_lock.wait_seconds}, then stops with a {@link UserInputException}
 * (exit 2) naming the lock file and its holder, whose run id, command, host, pid and start time the
 * file holds.
 *
 * <p>On the local disk ({@code file:}) the lock is an operating-system lock on the file
 * ({@link FileChannel#tryLock}): taking it is atomic, and the system releases it when the holder
 * dies, even by kill -9, so a dead run's lock is free at once without any guess about staleness.
 *
 * <p>On any other Hadoop file system (hdfs:, s3a:) holding the lock is having created the file
 * ({@code create} without overwrite); the holder rewrites it every quarter of
 * {@code writer_lock.stale_seconds} from a daemon thread, and a file not rewritten for that long is
 * a dead run's, which the next writer takes over with a warning naming it. On S3 (hadoop-aws
 * 3.4.1) a create without overwrite checks for the file and then writes it, which is not atomic:
 * two runs starting within the same moment can both believe they hold the lock. There the lock is
 * advisory; schedule one writer at a time, or give several writers Delta's DynamoDB log store
 * ({@code io.delta.storage.S3DynamoDBLogStore}), with which their concurrent commits are safe and
 * {@link Warehouse}'s commit retries resolve the races.
 */
public final class WriterLock implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(WriterLock.class);

  /** The lock file's name in the warehouse root. */
  public static final String FILE_NAME = "_critmin_writer.lock";
  private static final long POLL_MILLIS = 500;

  /**
   * The run holding a lock, as its lock file names it, so that a waiting run can say who it waits
   * for.
   */
  public record Holder(String runId, String command, String host, long pid, Instant since) {

    /** Run {@code runId} of {@code command} in this process, starting now. */
    public static Holder of(String runId, String command) {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "unknown";
      }
      return new Holder(runId, command, host, ProcessHandle.current().pid(),
          Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The lock file's contents: one {@code key=value} a line. */
    String text() {
      return "run_id=" + runId + "\ncommand=" + command + "\nhost=" + host + "\npid=" + pid
          + "\nsince=" + since + "\n";
    }

    /** The holder a lock file names, or null if it names none (empty, or being written). */
    static Holder parse(String text) {
      Map<String, String> fields = new HashMap<>();
      text.lines().forEach(line -> {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      });
      try {
        return new Holder(fields.get("run_id"), fields.get("command"), fields.get("host"),
            Long.parseLong(fields.get("pid")), Instant.parse(fields.get("since")));
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return "run " + runId + " (" + command + ", pid " + pid + " on host " + host + ", since "
          + since + ")";
    }
  }

  /** How a lock is held: the file's operating-system lock, or the file itself, kept fresh. */
  enum Kind {
    OS_FILE_LOCK, HEARTBEAT_FILE;

    /** The operating-system lock on the local disk, the heartbeat file anywhere else. */
    static Kind of(Path file) {
      return "file".equals(file.toUri().getScheme()) ? OS_FILE_LOCK : HEARTBEAT_FILE;
    }
  }

  /** One way of holding the lock file. */
  private interface Claim {
    /** Takes the lock if it is free (or a dead run's); whether it did. */
    boolean tryTake() throws IOException;

    /** The holder the lock file names now, or null when it names none. */
    Holder holder() throws IOException;

    void release() throws IOException;
  }

  private final String root;
  private final Path file;
  private final Claim claim;
  private boolean held = true;

  private WriterLock(String root, Path file, Claim claim) {
    this.root = root;
    this.file = file;
    this.claim = claim;
  }

  /**
   * Takes the writer lock of the warehouse at {@code root} (a qualified URI) for {@code holder},
   * waiting up to {@code writer_lock.wait_seconds} while another run holds it.
   *
   * @throws UserInputException when the other run still holds it after the wait
   */
  public static WriterLock acquire(String root, Configuration hadoop, Holder holder,
      WriterLockSettings settings) {
    Path file = new Path(root + "/" + FILE_NAME);
    return acquire(root, hadoop, holder, settings, Kind.of(file));
  }

  /** {@link #acquire} held the given way: tests take the heartbeat file on the local disk. */
  static WriterLock acquire(String root, Configuration hadoop, Holder holder,
      WriterLockSettings settings, Kind kind) {
    Path file = new Path(root + "/" + FILE_NAME);
    try {
      Claim claim = kind == Kind.OS_FILE_LOCK
          ? new OsFileLock(java.nio.file.Path.of(file.toUri()), holder)
          : new HeartbeatFile(file.getFileSystem(hadoop), file, holder,
              TimeUnit.SECONDS.toMillis(settings.staleSeconds()));
      long waitMillis = TimeUnit.SECONDS.toMillis(settings.waitSeconds());
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      boolean toldWaiting = false;
      // The holder last named: a lock file being rewritten can read empty for a moment.
      Holder named = null;
      while (!claim.tryTake()) {
        Holder now = claim.holder();
        named = now != null ? now : named;
        String other = describe(named);
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new UserInputException("the warehouse " + root + " is being written by " + other
              + "; waited " + settings.waitSeconds() + " s for its writer lock "
              + "(writer_lock.wait_seconds), the file " + file);
        }
        if (!toldWaiting) {
          LOG.info("waiting for the writer lock of {}, held by {} (up to {} s)", root, other,
              settings.waitSeconds());
          toldWaiting = true;
        }
        Thread.sleep(Math.min(POLL_MILLIS, left));
      }
      LOG.info("writer lock of {} taken ({})", root, file);
      return new WriterLock(root, file, claim);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the writer lock " + file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the writer lock " + file, e);
    }
  }

  private static String describe(Holder holder) {
    return holder != null ? holder.toString()
        : "another run (its lock file names no holder yet)";
  }

  /** Whether this lock is still held (not yet closed). */
  public synchronized boolean held() {
    return held;
  }

  /** The lock file. */
  public String file() {
    return file.toString();
  }

  /** Releases the lock; a failure to release is logged, not thrown (a dead run's lock expires). */
  @Override
  public synchronized void close() {
    if (!held) {
      return;
    }
    held = false;
    try {
      claim.release();
      LOG.info("writer lock of {} released", root);
    } catch (IOException e) {
      LOG.warn("could not release the writer lock {}: {}", file,
          org.critmin.config.Failures.summary(e));
    }
  }

  /**
   * The operating-system lock on a local lock file. The file stays after release (emptied): a run
   * waiting on the file it opened must lock the same file a later run creates, which deleting it
   * would break.
   *
   * <p>Such locks belong to the process, not to a channel: a second lock of the file in this JVM
   * would throw {@link java.nio.channels.OverlappingFileLockException}, and closing any other
   * channel on the file, even one opened only to read it, would release the lock. So the locks
   * this JVM holds are kept in {@link #HELD_HERE}: a second run in this JVM waits like any other
   * run, and reads the holder from there, never from the file.
   */
  private static final class OsFileLock implements Claim {
    private static final Map<java.nio.file.Path, Holder> HELD_HERE = new LinkedHashMap<>();

    private final java.nio.file.Path file;
    private final Holder me;
    private FileChannel channel;
    private FileLock lock;

    OsFileLock(java.nio.file.Path file, Holder me) {
      this.file = file.toAbsolutePath().normalize();
      this.me = me;
    }

    @Override
    public boolean tryTake() throws IOException {
      synchronized (HELD_HERE) {
        if (HELD_HERE.containsKey(file)) {
          return false;
        }
        Files.createDirectories(file.getParent());
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
          FileLock taken = opened.tryLock();
          if (taken == null) {
            opened.close();
            return false;
          }
          opened.truncate(0);
          opened.write(ByteBuffer.wrap(me.text().getBytes(StandardCharsets.UTF_8)), 0);
          opened.force(false);
          channel = opened;
          lock = taken;
          HELD_HERE.put(file, me);
          return true;
        } catch (IOException | RuntimeException e) {
          opened.close();
          throw e;
        }
      }
    }

    @Override
    public Holder holder() throws IOException {
      synchronized (HELD_HERE) {
        Holder here = HELD_HERE.get(file);
        if (here != null) {
          return here;
        }
        try {
          return Holder.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
          return null;
        }
      }
    }

    @Override
    public void release() throws IOException {
      synchronized (HELD_HERE) {
        try {
          channel.truncate(0);
          lock.release();
        } finally {
          channel.close();
          HELD_HERE.remove(file);
        }
      }
    }
  }

  /**
   * The lock file on a Hadoop file system without operating-system locks: created without
   * overwrite, rewritten every quarter of the staleness limit while held, taken over once older
   * than that limit, deleted on release.
   */
  private static final class HeartbeatFile implements Claim {
    private final FileSystem fs;
    private final Path file;
    private final Holder me;
    private final long staleMillis;
    private ScheduledExecutorService heartbeat;

    HeartbeatFile(FileSystem fs, Path file, Holder me, long staleMillis) {
      this.fs = fs;
      this.file = file;
      this.me = me;
      this.staleMillis = staleMillis;
    }

    @Override
    public boolean tryTake() throws IOException {
      // Twice: once more right after a dead run's file is removed, or after it vanished.
      for (int attempt = 0; attempt < 2; attempt++) {
        if (create()) {
          startHeartbeat();
          return true;
        }
        FileStatus status;
        try {
          status = fs.getFileStatus(file);
        } catch (FileNotFoundException released) {
          continue;
        }
        long age = System.currentTimeMillis() - status.getModificationTime();
        if (age < staleMillis) {
          return false;
        }
        LOG.warn("taking over the writer lock {} of {}: not renewed for {} s "
            + "(writer_lock.stale_seconds = {}), so that run is taken for dead", file,
            describe(holder()), age / 1000, staleMillis / 1000);
        fs.delete(file, false);
      }
      return false;
    }

    /** Creates the lock file naming this run; false if it exists. */
    private boolean create() throws IOException {
      try (FSDataOutputStream out = fs.create(file, false)) {
        out.write(me.text().getBytes(StandardCharsets.UTF_8));
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }

    private void startHeartbeat() {
      heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "critmin-writer-lock-heartbeat");
        thread.setDaemon(true);
        return thread;
      });
      long every = Math.max(1, staleMillis / 4);
      heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Rewrites the lock file, which renews its modification time; stops, with an error, if the
     * file names another run, which took the lock over (this run was too slow to renew it).
     */
    private void beat() {
      try {
        Holder now = holder();
        if (now != null && !me.equals(now)) {
          LOG.error("the writer lock {} was taken over by {}: this run did not renew it within "
              + "writer_lock.stale_seconds, and both now write the warehouse", file,
              describe(now));
          heartbeat.shutdown();
          return;
        }
        try (FSDataOutputStream out = fs.create(file, true)) {
          out.write(me.text().getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not renew the writer lock {}: {}", file,
            org.critmin.config.Failures.summary(e));
      }
    }

    /** The holder the file names; null when it is missing, or read while being rewritten. */
    @Override
    public Holder holder() throws IOException {
      try (var in = fs.open(file)) {
        return Holder.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (FileNotFoundException | org.apache.hadoop.fs.ChecksumException e) {
        return null;
      }
    }

    @Override
    public void release() throws IOException {
      // Not interrupted: a rewrite cut short could leave a file that names nobody.
      heartbeat.shutdown();
      try {
        heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (me.equals(holder())) {
        fs.delete(file, false);
      }
    }
  }
}
