package org.critmin.cli;

import org.critmin.config.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The critmin command line: {@code jobs/critmin <command> [options]}. */
@Command(name = "critmin", mixinStandardHelpOptions = true, version = "critmin 0.1",
    description = "Critical-mineral supply-chain analytics on Spark and Delta Lake.",
    subcommands = {
        StageCommand.Pipeline.class,
        StageCommand.Ingest.class,
        StageCommand.Refine.class,
        StageCommand.Concentration.class,
        StageCommand.Shocks.class,
        StageCommand.Scenarios.class,
        StageCommand.Report.class,
        StageCommand.Maintain.class,
        SqlCommand.class,
        ServeCommand.class,
        RegisterCommand.class,
        GenerateCommand.class,
        RegressCommand.class,
    })
public final class Critmin implements Runnable {

  /**
   * Runs one command. From the launcher (jobs/critmin) the JVM exits with the command's code (0,
   * 2, 1). Under spark-submit the JVM belongs to Spark: main returns on success and throws on
   * failure, so that YARN's ApplicationMaster, Databricks or Airflow read the outcome from the
   * application, not from an exit it would report as a lost driver and retry.
   */
  public static void main(String[] args) {
    int code = run(args);
    if (!underSparkSubmit()) {
      System.exit(code);
    }
    if (code != 0) {
      throw new CommandFailedException(code);
    }
  }

  /**
   * Whether this JVM was started by spark-submit (client mode) or by a cluster manager for a
   * submitted application (cluster mode): both pass the submit's settings as system properties.
   */
  static boolean underSparkSubmit() {
    return System.getProperty("spark.submit.deployMode") != null
        || System.getProperty("spark.master") != null;
  }

  /** A failed command under spark-submit; its message was already printed. */
  static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(int code) {
      super("critmin failed with exit code " + code + " (2: input or configuration, 1: internal; "
          + "the message above says why)");
    }
  }

  /** Parses and runs one command; returns the exit code (0 ok, 2 usage or input, 1 internal). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Critmin());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      UserInputException user = org.critmin.config.Failures.userCause(e);
      if (user != null) {
        commandLine.getErr().println("critmin: "
            + org.critmin.config.Failures.printable(user.getMessage()));
        return 2;
      }
      commandLine.getErr().println("critmin: internal error: "
          + org.critmin.config.Failures.printable(org.critmin.config.Failures.summary(e)));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "a command is required: pipeline, ingest, refine, concentration, shocks, scenarios, report, "
            + "maintain, sql, register, regress or generate");
  }
}
