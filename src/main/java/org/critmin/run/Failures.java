package org.critmin.run;

import java.io.IOException;
import org.critmin.config.UserInputException;

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
}
