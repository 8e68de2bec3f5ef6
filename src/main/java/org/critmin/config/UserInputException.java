package org.critmin.config;

/**
 * A problem the user can fix: a bad option, configuration key, input file or column. The command line
 * prints its message alone (no stack trace) and exits with code 2, so the message must name the file,
 * row, column or key at fault.
 */
public class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
