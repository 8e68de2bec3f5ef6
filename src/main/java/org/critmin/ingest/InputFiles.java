package org.critmin.ingest;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.critmin.config.UserInputException;

/**
 * Expands the {@code --input} values (files, folders, globs; local or s3a://) into the data files to
 * read. Inside folders only trade-data files are taken ({@code .csv}, {@code .txt}, {@code .json},
 * plain or {@code .gz}), recursively, skipping hidden and {@code _}-prefixed entries; a file named
 * explicitly is read whatever its name. Names are taken literally: a name that exists is never a
 * glob, a colon is part of the name. What a folder holds but is not read is listed with the
 * reason; a name the file system cannot decode, which Hadoop would pass over in silence, is a bad
 * file; a folder reached again through a link is not read twice.
 */
public final class InputFiles {

  private static final List<String> DATA_SUFFIXES = List.of(".csv", ".csv.gz", ".txt", ".txt.gz",
      ".json", ".json.gz");
  /** A URI scheme followed by a slash: {@code s3a://b/k}, {@code file:/x}; else a local path. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

  /**
   * The files to read; the files found but not read, each with its reason; and the bad names,
   * each with a message naming it.
   */
  public record Listing(List<FileStatus> files, Map<String, String> skipped,
      Map<String, String> badNames) {}

  private InputFiles() {}

  /**
   * A copy of {@code base} for reading input: local files through the
   * {@link UncheckedLocalFileSystem}, so that a colon in a name does not fail.
   */
  public static Configuration reading(Configuration base) {
    Configuration conf = new Configuration(base);
    conf.setClass("fs.file.impl", UncheckedLocalFileSystem.class, FileSystem.class);
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  public static Listing expand(List<String> inputs, Configuration base) {
    if (inputs.isEmpty()) {
      throw new UserInputException("no input given (use --input or the `input` key)");
    }
    Configuration conf = reading(base);
    Walk walk = new Walk();
    for (String input : inputs) {
      Path path = inputPath(input);
      try {
        FileSystem fs = path.getFileSystem(conf);
        // A name that exists is taken literally (comtrade[2024].csv is a file, not a glob).
        FileStatus[] matches = fs.exists(path) ? new FileStatus[] {fs.getFileStatus(path)}
            : fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new UserInputException("input not found: " + input);
        }
        for (FileStatus match : matches) {
          if (match.isDirectory()) {
            walk.folder(fs, match.getPath());
          } else {
            walk.files.put(match.getPath().toString(), match);
          }
        }
      } catch (IOException e) {
        throw new UserInputException("cannot list input " + input + ": " + e.getMessage(), e);
      }
    }
    if (walk.files.isEmpty() && walk.badNames.isEmpty()) {
      throw new UserInputException("no data files (" + String.join(", ", DATA_SUFFIXES)
          + ") found in " + String.join(", ", inputs)
          + (walk.skipped.isEmpty() ? "" : "; skipped: " + walk.skipped));
    }
    return new Listing(new ArrayList<>(walk.files.values()), walk.skipped, walk.badNames);
  }

  /**
   * {@code input} as a Hadoop path: a URI as written, anything else a local path made absolute,
   * so that a colon in a plain name ({@code comtrade_2024-01-01T10:00:00.csv}) is not read as a
   * URI scheme.
   */
  static Path inputPath(String input) {
    if (SCHEME.matcher(input).matches() || input.indexOf(':') < 0) {
      return new Path(input);
    }
    return new Path(new File(input).getAbsoluteFile().toURI());
  }

  /** One walk over the input folders. */
  private static final class Walk {
    final TreeMap<String, FileStatus> files = new TreeMap<>();
    final Map<String, String> skipped = new TreeMap<>();
    final Map<String, String> badNames = new TreeMap<>();
    /** Folders read, by their real path where the file system has links. */
    final Set<String> folders = new HashSet<>();

    void folder(FileSystem fs, Path dir) throws IOException {
      String real = realPath(fs, dir);
      if (!folders.add(real)) {
        skipped.put(dir.toString(), "a link to the folder " + real + ", read already");
        return;
      }
      Set<String> listed = new HashSet<>();
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        listed.add(name);
        if (name.startsWith(".") || name.startsWith("_")) {
          skipped.put(status.getPath().toString(), "hidden (a name starting with . or _)");
        } else if (status.isDirectory()) {
          folder(fs, status.getPath());
        } else if (isDataFile(name)) {
          files.put(status.getPath().toString(), status);
        } else {
          skipped.put(status.getPath().toString(), "not a data file name ("
              + String.join(", ", DATA_SUFFIXES) + ")");
        }
      }
      undecodableNames(fs, dir, listed);
    }

    /**
     * Names in a local folder that the listing passed over: a name whose bytes are not valid in
     * the JVM's file name encoding is decoded with U+FFFD and can then be neither read nor found.
     */
    private void undecodableNames(FileSystem fs, Path dir, Set<String> listed) {
      if (!"file".equals(fs.getUri().getScheme())) {
        return;
      }
      String[] names = new File(dir.toUri()).list();
      if (names == null) {
        return;
      }
      for (String name : names) {
        if (!listed.contains(name) && name.indexOf('\uFFFD') >= 0) {
          String shown = dir + "/" + name;
          badNames.put(shown, shown + ": the file name is not valid "
              + System.getProperty("sun.jnu.encoding", "UTF-8") + " (shown with U+FFFD), so it "
              + "cannot be opened; rename the file");
        }
      }
    }

    private static String realPath(FileSystem fs, Path dir) {
      if (!"file".equals(fs.getUri().getScheme())) {
        return dir.toString();
      }
      try {
        return java.nio.file.Path.of(dir.toUri()).toRealPath().toString();
      } catch (IOException | RuntimeException e) {
        return dir.toString();
      }
    }
  }

  static boolean isDataFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return DATA_SUFFIXES.stream().anyMatch(lower::endsWith);
  }
}
