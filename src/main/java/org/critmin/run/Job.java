package org.critmin.run;

/** One stage of critmin (ingest, refine, concentration...): reads tables or files, writes tables. */
public interface Job {

  /** The command name, as typed after {@code jobs/critmin}. */
  String name();

  /** Runs the stage; throws {@link org.critmin.config.UserInputException} for bad input. */
  void run(RunContext context);
}
