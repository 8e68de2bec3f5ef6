package org.critmin.shocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.critmin.delta.Tables;
import org.critmin.stats.RegressionResult;
import org.junit.jupiter.api.Test;

/**
 * The table contract declares shock_estimates' regression columns itself (the engine knows nothing
 * of the warehouse); they must stay the engine's result columns, by name, type and order.
 */
class ShockEstimatesColumnsTest {

  @Test
  void theContractHoldsTheEnginesResultColumns() {
    List<StructField> contract = Arrays.asList(Tables.SHOCK_ESTIMATES.schema().fields());
    StructField[] engine = RegressionResult.SCHEMA.fields();
    assertEquals("event_id", contract.get(0).name());
    for (int i = 0; i < engine.length; i++) {
      StructField column = contract.get(i + 1);
      assertEquals(engine[i].name(), column.name());
      assertEquals(engine[i].dataType(), column.dataType(), column.name());
    }
  }
}
