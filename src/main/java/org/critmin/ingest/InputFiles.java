package org.critmin.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.critmin.config.UserInputException;

/**
 * Expands the {@code --input} values (files, folders, globs; local or s3a://) into the data files to
 * read. Inside folders only trade-data files are taken ({@code .csv}, {@code .txt}, {@code .json}, plain or
 * {@code .gz}), recursively, skipping hidden and {@code _}-prefixed entries; a file named
 * explicitly is read whatever its name.
 */
public final class InputFiles {

  private static final List<String> DATA_SUFFIXES = List.of(".csv", ".csv.gz", ".txt", ".txt.gz",
      ".json", ".json.gz");

  private InputFiles() {}

  public static List<FileStatus> expand(List<String> inputs, Configuration conf) {
    if (inputs.isEmpty()) {
      throw new UserInputException("no input given (use --input or the `input` key)");
    }
    TreeMap<String, FileStatus> files = new TreeMap<>();
    for (String input : inputs) {
      Path path = new Path(input);
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
            collect(fs, match.getPath(), files);
          } else {
            files.put(match.getPath().toString(), match);
          }
        }
      } catch (IOException e) {
        throw new UserInputException("cannot list input " + input + ": " + e.getMessage(), e);
      }
    }
    if (files.isEmpty()) {
      throw new UserInputException("no data files (" + String.join(", ", DATA_SUFFIXES)
          + ") found in " + String.join(", ", inputs));
    }
    return new ArrayList<>(files.values());
  }

  private static void collect(FileSystem fs, Path dir, TreeMap<String, FileStatus> files)
      throws IOException {
    for (FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (status.isDirectory()) {
        collect(fs, status.getPath(), files);
      } else if (isDataFile(name)) {
        files.put(status.getPath().toString(), status);
      }
    }
  }

  static boolean isDataFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return DATA_SUFFIXES.stream().anyMatch(lower::endsWith);
  }
}
