package org.critmin.run;

/** The critmin version recorded in {@code pipeline_runs}. */
public final class Version {
  private Version() {}

  public static final String VERSION = versionFromJar();

  private static String versionFromJar() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
