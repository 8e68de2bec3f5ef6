# Sourced by jobs/critmin and jobs/submit: builds the application jar and its classpath files once,
# and again when the sources, the pom or the bundled configuration changed.
# Sets: jar (critmin's classes, for local runs with classpath_file), app_jar (the shaded application
# jar spark-submit runs), classpath_file (everything, Spark included), application_classpath_file
# (what the application needs beside Spark, Delta and Hadoop, shaded into app_jar).

jar="$home/target/critmin.jar"
app_jar="$home/target/critmin-$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$home/pom.xml")-all.jar"
classpath_file="$home/target/classpath.txt"
application_classpath_file="$home/target/application-classpath.txt"

critmin_stale() {
  [ ! -f "$jar" ] || [ ! -f "$app_jar" ] || [ ! -f "$classpath_file" ] \
    || [ ! -f "$application_classpath_file" ] && return 0
  [ -n "$(find "$home/src/main" "$home/pom.xml" "$home/conf/base.conf" "$home/conf/scenarios.conf" \
    "$home/conf/shocks.conf" "$home/conf/cluster.conf" "$home/conf/log4j2.properties" \
    "$home/conf/reference" -newer "$jar" -print -quit 2>/dev/null)" ]
}

# CRITMIN_SKIP_BUILD=1 (set by the tests, whose Maven run has just built the jar) never builds.
critmin_build_if_stale() {
  if [ "${CRITMIN_SKIP_BUILD:-}" = 1 ]; then
    [ -f "$jar" ] && [ -f "$app_jar" ] && [ -f "$application_classpath_file" ] && return 0
    echo "critmin: $jar is missing and CRITMIN_SKIP_BUILD=1; run 'mvn -DskipTests package'" >&2
    exit 1
  fi
  if critmin_stale; then
    echo "critmin: building (first run, or sources changed)..." >&2
    (cd "$home" && mvn -q -B -DskipTests package) >&2 || {
      echo "critmin: build failed; run 'mvn -DskipTests package' in $home to see why" >&2
      exit 1
    }
  fi
}
