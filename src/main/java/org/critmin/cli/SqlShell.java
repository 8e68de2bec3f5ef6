package org.critmin.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.critmin.config.UserInputException;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive side of {@code jobs/critmin sql} (neither {@code -e} nor {@code -f}): one session
 * for many statements, each run when a semicolon ends it, its result printed; an error is printed
 * and the shell goes on. On a terminal: line editing, multi-line statements and a history in
 * {@code ~/.critmin_sql_history}. Piped input is read the same way without prompts.
 */
final class SqlShell {
  private static final String PROMPT = "critmin> ";
  private static final String CONTINUATION = "      -> ";

  private final Consumer<String> statementRunner;
  private final Runnable warmUp;
  private final PrintStream err;
  private int failures;

  /**
   * {@code statementRunner} runs one statement and prints its result; {@code warmUp} runs in the
   * background of a terminal session while the first statement is typed.
   */
  SqlShell(Consumer<String> statementRunner, Runnable warmUp, PrintStream err) {
    this.statementRunner = statementRunner;
    this.warmUp = warmUp;
    this.err = err;
  }

  /**
   * Reads statements until the input ends or {@code quit;}. Returns the exit code: 0, or 2 when
   * statements of piped input failed (a script should notice); a terminal session always 0.
   */
  int run() {
    if (System.console() != null) {
      interactive();
      return 0;
    }
    piped(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    if (failures > 0) {
      err.println("critmin: " + failures + " statement" + (failures > 1 ? "s" : "")
          + " failed");
      return 2;
    }
    return 0;
  }

  private void piped(BufferedReader in) {
    StringBuilder buffer = new StringBuilder();
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        buffer.append(line).append('\n');
        if (SqlScript.complete(buffer.toString())) {
          if (!runAll(buffer.toString())) {
            return;
          }
          buffer.setLength(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!buffer.toString().isBlank()) {
      runAll(buffer.toString());
    }
  }

  private void interactive() {
    Thread warming = new Thread(() -> {
      try {
        warmUp.run();
      } catch (RuntimeException e) {
        // Only a head start: a table that cannot be read says so when it is queried.
      }
    }, "critmin-sql-warm-up");
    warming.setDaemon(true);
    warming.start();
    TerminalInput.read(this::runAll);
  }

  /** Runs each statement of {@code text}; false when one of them is {@code quit} or {@code exit}. */
  private boolean runAll(String text) {
    for (String statement : SqlScript.statements(text)) {
      if (List.of("quit", "exit").contains(statement.strip().toLowerCase(java.util.Locale.ROOT))) {
        return false;
      }
      long t0 = System.nanoTime();
      try {
        statementRunner.accept(statement);
        err.printf("(%.2f s)%n", (System.nanoTime() - t0) / 1e9);
      } catch (UserInputException e) {
        failures++;
        err.println("error: " + e.getMessage());
      } catch (RuntimeException e) {
        failures++;
        err.println("error: internal: " + org.critmin.config.Failures.summary(e));
      }
    }
    return true;
  }

  /**
   * Everything that touches JLine, in a class of its own: piped input never loads it, so the shell
   * also works where JLine is absent (the application jar leaves it out).
   */
  private static final class TerminalInput {
    /** Reads typed statements and hands each to {@code run} until it returns false or Ctrl-D. */
    static void read(java.util.function.Predicate<String> run) {
      try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal)
            .appName("critmin")
            .parser(new StatementParser())
            .variable(LineReader.HISTORY_FILE,
                Path.of(System.getProperty("user.home"), ".critmin_sql_history"))
            .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
            .build();
        terminal.writer().println("critmin SQL shell: statements end with ';', quit; to leave. "
            + "The tables: SHOW TABLES IN critmin_gold;");
        while (true) {
          String text;
          try {
            text = reader.readLine(PROMPT);
          } catch (UserInterruptException e) {
            continue;  // Ctrl-C drops the statement being typed
          } catch (EndOfFileException e) {
            return;    // Ctrl-D
          }
          if (!run.test(text)) {
            return;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Asks JLine for another line until what was typed ends with a semicolon (or is quit). */
  private static final class StatementParser extends DefaultParser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      String trimmed = line.strip().toLowerCase(java.util.Locale.ROOT);
      if (context == ParseContext.ACCEPT_LINE && !trimmed.isEmpty()
          && !List.of("quit", "exit").contains(trimmed) && !SqlScript.complete(line)) {
        throw new EOFError(-1, -1, "the statement goes on until ';'");
      }
      return super.parse(line, cursor, context);
    }
  }
}
