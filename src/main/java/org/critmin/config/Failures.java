package org.critmin.config;

import java.io.IOException;

/** Finds the cause worth telling the user in an exception chain (Spark wraps task failures). */
public final class Failures {
  private Failures() {}

  /** The first {@link UserInputException} in the chain, or null. */
  public static UserInputException userCause(Throwable e) {
    return outermost(e, UserInputException.class);
  }

  /**
   * The outermost I/O failure in the chain, or null. Hadoop file systems (s3a, hdfs, file) name the
   * operation and the path in its message ("getFileStatus on s3a://bucket/key: ..."), which the
   * innermost cause ("Connection refused") no longer does.
   */
  public static IOException storageCause(Throwable e) {
    return outermost(e, IOException.class);
  }

  private static <T extends Throwable> T outermost(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** One line: the innermost cause's class and message. */
  public static String summary(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst()
        .orElse("");
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * {@code message} with control characters shown as escapes ({@code \n}, {@code \u001b}): a
   * file name or a field can hold a line break or a terminal escape, which must not forge a log
   * line or drive the user's terminal.
   */
  public static String printable(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
