package org.critmin.cli;

import org.critmin.config.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        GenerateCommand.class,
        RegressCommand.class,
    })
public final class Critmin implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Parses and runs one command; returns the exit code (0 ok, 2 usage or input, 1 internal). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Critmin());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      UserInputException user = org.critmin.run.Failures.userCause(e);
      if (user != null) {
        commandLine.getErr().println("critmin: " + user.getMessage());
        return 2;
      }
      commandLine.getErr().println("critmin: internal error: "
          + org.critmin.run.Failures.summary(e));
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "a command is required: pipeline, ingest, refine, concentration, shocks, scenarios, report, "
            + "maintain, sql, regress or generate");
  }
}
