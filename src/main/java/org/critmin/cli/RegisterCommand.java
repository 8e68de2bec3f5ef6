package org.critmin.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.critmin.delta.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Registers every table of a warehouse by name in the session's catalog and writes
 * {@code <warehouse>/register.sql}, the same registration for any other Spark session
 * (docs/usage.md, "Querying"). {@code pipeline} and the stage commands write the script too.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = "Register the warehouse tables by name and write <warehouse>/register.sql.")
final class RegisterCommand implements Callable<Integer> {

  @Mixin
  JobOptions options;

  @Override
  public Integer call() {
    try (CommandSession session = new CommandSession(options.load())) {
      Warehouse warehouse = session.warehouse();
      List<String> tables = warehouse.catalog().registerAll();
      int written = warehouse.catalog().writeRegisterScript();
      tables.forEach(System.out::println);
      System.out.println(written + " tables in " + warehouse.catalog().registerScriptLocation());
      return 0;
    }
  }
}
