package org.critmin.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.critmin.concentration.ConcentrationJob;
import org.critmin.config.CritminConfig;
import org.critmin.ingest.IngestJob;
import org.critmin.maintain.MaintainJob;
import org.critmin.refine.RefineJob;
import org.critmin.report.ReportJob;
import org.critmin.run.Job;
import org.critmin.run.JobRunner;
import org.critmin.scenarios.ScenariosJob;
import org.critmin.shocks.ShocksJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The commands that run stages: each runs its jobs in one session through {@link JobRunner}. */
final class StageCommand {

  private StageCommand() {}

  private abstract static class Base implements Callable<Integer> {
    @Mixin
    JobOptions options;

    abstract String name();

    abstract List<Job> jobs();

    @Override
    public Integer call() {
      CritminConfig config = options.load();
      return JobRunner.run(name(), config, jobs());
    }
  }

  @Command(name = "pipeline", mixinStandardHelpOptions = true,
      description = "Run every stage in order: ingest, refine, concentration, shocks, scenarios, "
          + "report.")
  static final class Pipeline extends Base {
    String name() {
      return "pipeline";
    }

    List<Job> jobs() {
      return List.of(
          new IngestJob(),
          new RefineJob(),
          new ConcentrationJob(),
          new ShocksJob(),
          new ScenariosJob(),
          new ReportJob());
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Read trade files into critmin_bronze.trade_records (bad lines quarantined).")
  static final class Ingest extends Base {
    String name() {
      return "ingest";
    }

    List<Job> jobs() {
      return List.of(new IngestJob());
    }
  }

  @Command(name = "refine", mixinStandardHelpOptions = true,
      description = "Rebuild critmin_silver.trade_flows, bilateral_flows and data_quality from bronze.")
  static final class Refine extends Base {
    String name() {
      return "refine";
    }

    List<Job> jobs() {
      return List.of(new RefineJob());
    }
  }

  @Command(name = "concentration", mixinStandardHelpOptions = true,
      description = "Compute supply and partner concentration (HHI, shares) from silver.")
  static final class Concentration extends Base {
    String name() {
      return "concentration";
    }

    List<Job> jobs() {
      return List.of(new ConcentrationJob());
    }
  }

  @Command(name = "shocks", mixinStandardHelpOptions = true,
      description = "Estimate the supply-shock models of conf/shocks.conf for each event of "
          + "shock_events.csv into critmin_gold.shock_estimates and event_study.")
  static final class Shocks extends Base {
    String name() {
      return "shocks";
    }

    List<Job> jobs() {
      return List.of(new ShocksJob());
    }
  }

  @Command(name = "scenarios", mixinStandardHelpOptions = true,
      description = "What-if tables of conf/scenarios.conf: supplier disruption exposure, stockpile "
          + "cover, bloc sourcing and benchmark prices, from silver.")
  static final class Scenarios extends Base {
    String name() {
      return "scenarios";
    }

    List<Job> jobs() {
      return List.of(new ScenariosJob());
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Write the HTML report with charts from the gold tables (opens offline).")
  static final class Report extends Base {
    @Option(names = "--out", paramLabel = "DIR",
        description = "Folder of the report (index.html), local or s3a://. Default: the "
            + "`report.out` key, else <warehouse>/report.")
    String out;

    String name() {
      return "report";
    }

    List<Job> jobs() {
      return List.of(new ReportJob());
    }

    @Override
    public Integer call() {
      if (out != null) {
        options.settings.add("report.out=" + JobOptions.quoted(out));
      }
      return super.call();
    }
  }

  @Command(name = "maintain", mixinStandardHelpOptions = true,
      description = "OPTIMIZE (Z-ordered), VACUUM and set the properties of every table, and print "
          + "each table's history. Holds the warehouse's writer lock: other critmin runs wait.")
  static final class Maintain extends Base {
    @Option(names = "--force", description = "Vacuum even with maintain.vacuum_retention_hours "
        + "below Delta's safe 168 hours (time travel then reaches back only that far).")
    boolean force;

    @Override
    public Integer call() {
      MaintainJob.checkRetention(options.load().delta().vacuumRetentionHours(), force);
      return super.call();
    }

    String name() {
      return "maintain";
    }

    List<Job> jobs() {
      return List.of(new MaintainJob(force, System.out));
    }
  }
}
