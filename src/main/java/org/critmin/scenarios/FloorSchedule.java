package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ScenarioSettings;
import org.critmin.reference.BlocMembership;

/**
 * The floor prices of {@code scenarios.floor_prices} over time (docs/methods.md, "Scenarios",
 * benchmark_prices): a floor is in force for the periods whose last day is on or after its
 * {@code valid_from} (an entry without one: from the first period) and before the
 * {@code valid_from} of the next floor of the same mineral and stage. A period before a mineral's
 * first dated floor has none.
 */
final class FloorSchedule {

  /** The floors, each with the day the next one of its mineral and stage takes over. */
  static final StructType SCHEMA = new StructType()
      .add("floor_mineral", DataTypes.StringType, false)
      .add("floor_stage", DataTypes.StringType, false)
      .add("floor_usd_per_kg", DataTypes.DoubleType, false)
      .add("floor_valid_from", DataTypes.DateType, true)
      .add("floor_valid_until", DataTypes.DateType, true);

  private FloorSchedule() {}

  /**
   * {@code rows} (with {@code mineral}, {@code stage}, {@code year} and {@code month}, null for a
   * year) and two columns more: {@code floor_usd_per_kg} and {@code floor_valid_from} of the floor
   * in force on the period's last day, null where none is.
   */
  static Dataset<Row> inForce(Dataset<Row> rows, List<ScenarioSettings.FloorPrice> floors) {
    Dataset<Row> schedule = rows.sparkSession().createDataFrame(spans(floors), SCHEMA);
    Column periodEnd = BlocMembership.periodEnd(col("year"), col("month"));
    Column from = col("floor_valid_from");
    Column until = col("floor_valid_until");
    Column matches = col("mineral").equalTo(col("floor_mineral"))
        .and(col("stage").equalTo(col("floor_stage")))
        .and(from.isNull().or(periodEnd.geq(from)))
        .and(until.isNull().or(periodEnd.lt(until)));
    return rows.join(broadcast(schedule), matches, "left")
        .drop("floor_mineral", "floor_stage", "floor_valid_until");
  }

  /** One row per floor in {@link #SCHEMA}, the end of each span computed on the driver. */
  static List<Row> spans(List<ScenarioSettings.FloorPrice> floors) {
    Comparator<LocalDate> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
    List<ScenarioSettings.FloorPrice> sorted = new ArrayList<>(floors);
    sorted.sort(Comparator.comparing(ScenarioSettings.FloorPrice::mineral)
        .thenComparing(ScenarioSettings.FloorPrice::stage)
        .thenComparing(ScenarioSettings.FloorPrice::validFrom, nullsFirst));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      ScenarioSettings.FloorPrice f = sorted.get(i);
      ScenarioSettings.FloorPrice next = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
      boolean sameSeries = next != null && next.mineral().equals(f.mineral())
          && next.stage().equals(f.stage());
      rows.add(RowFactory.create(f.mineral(), f.stage(), f.usdPerKg(), date(f.validFrom()),
          sameSeries ? date(next.validFrom()) : null));
    }
    return rows;
  }

  private static Date date(LocalDate day) {
    return day == null ? null : Date.valueOf(day);
  }
}
