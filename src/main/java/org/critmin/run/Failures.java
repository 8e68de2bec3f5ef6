package org.critmin.run;

import org.critmin.config.UserInputException;

/** Finds the cause worth telling the user in an exception chain (Spark wraps task failures). */
public final class Failures {
  private Failures() {}

  /** The first {@link UserInputException} in the chain, or null. */
  public static UserInputException userCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserInputException u) {
        return u;
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
