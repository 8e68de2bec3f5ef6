package org.critmin;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures every log line of this JVM at INFO and above (Spark, Delta, Hadoop, critmin), with
 * exceptions and their causes, while it is open; the console keeps its usual WARN level.
 */
public final class LogCapture implements AutoCloseable {
  private final StringWriter lines = new StringWriter();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final Appender appender;
  private final Level rootLevel;

  public LogCapture() {
    Configuration config = context.getConfiguration();
    appender = WriterAppender.newBuilder().setName("critmin-test-capture").setTarget(lines)
        .setLayout(PatternLayout.newBuilder().withPattern("%level %c: %msg%n%throwable")
            .withConfiguration(config).build())
        .setConfiguration(config).build();
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    rootLevel = root.getLevel();
    // The console keeps the root's level; the capture sees INFO.
    for (Appender other : root.getAppenders().values()) {
      root.removeAppender(other.getName());
      root.addAppender(other, rootLevel, null);
    }
    root.addAppender(appender, Level.INFO, null);
    root.setLevel(Level.INFO);
    context.updateLoggers();
  }

  /** Everything logged so far. */
  public synchronized String text() {
    return lines.toString();
  }

  @Override
  public void close() {
    LoggerConfig root = context.getConfiguration().getRootLogger();
    root.removeAppender(appender.getName());
    root.setLevel(rootLevel);
    context.updateLoggers();
    appender.stop();
  }
}
