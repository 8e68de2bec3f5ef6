package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Critmin.main} under spark-submit (which passes its settings as system properties): it
 * returns on success and throws on failure, never exiting the JVM. Were it to call System.exit,
 * this test's JVM would end and surefire would report it as crashed.
 */
class SparkSubmitMainTest {
  @BeforeEach
  void asUnderSparkSubmit() {
    System.setProperty("spark.submit.deployMode", "client");
  }

  @AfterEach
  void clear() {
    System.clearProperty("spark.submit.deployMode");
  }

  @Test
  void successReturns() {
    assertTrue(Critmin.underSparkSubmit());
    assertDoesNotThrow(() -> Critmin.main(new String[] {"--version"}));
  }

  @Test
  void failureThrowsWithTheExitCodeTheLauncherWouldHaveUsed() {
    RuntimeException e = assertThrows(Critmin.CommandFailedException.class,
        () -> Critmin.main(new String[] {"pipeline", "--conf", "spark.executor.memory=4g"}));
    assertTrue(e.getMessage().contains("exit code 2"), e.getMessage());
  }
}
