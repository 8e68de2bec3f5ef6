package org.critmin.stats;

/**
 * A model that cannot be specified or fitted as asked: a formula that does not parse, a variable
 * the data lacks, a design without identified coefficients. The message is for the person who
 * wrote the formula; callers turn it into their own kind of error (a configuration key, a command
 * option), since the engine knows nothing of where the formula came from.
 */
public final class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }
}
