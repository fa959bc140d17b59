# Inlet container image.
#
#   docker build -t inlet:0.1.0 .
#   docker run -p 8080:8080 -p 8081:8081 -v inlet-data:/var/lib/inlet inlet:0.1.0
#
# Nothing secret is baked in: the server secret and the tokens come from the environment at run time (or, with
# the embedded database, are generated into the data volume on first start). Base images are pinned to exact
# tags; pin them by digest too where your registry policy asks for it.

# ---- build: Maven + JDK 17 ------------------------------------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /build

# Dependencies first, so that a source-only change reuses this layer.
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline

COPY db/ db/
COPY src/main/ src/main/
COPY docker/HealthCheck.java docker/
# Tests run in CI, not here (the test sources are not in the build context). The jar's name follows the
# project version; copy it to a fixed one. The health check is one java.base class, compiled for Java 17.
# The jar is then extracted (Spring Boot's tools jar mode: inlet.jar and lib/), the layout a class data sharing
# archive can cover (below).
RUN mvn -B -ntp -Dmaven.test.skip=true package \
 && cp target/inlet-*.jar /build/inlet.jar \
 && java -Djarmode=tools -jar /build/inlet.jar extract --destination /build/app \
 && mkdir -p /build/healthcheck \
 && javac --release 17 -d /build/healthcheck docker/HealthCheck.java

# ---- runtime: JRE 17 only -------------------------------------------------------------------------------------
# Ubuntu-based (glibc): the embedded PostgreSQL binaries inside the jar are built for glibc, not musl (Alpine).
FROM eclipse-temurin:17.0.15_6-jre-noble

# A fixed, non-root UID/GID (10001: clear of the image's own users, such as ubuntu at 1000). PostgreSQL refuses to
# run as root, so the embedded database needs this too. The Helm chart runs the pod as the same IDs.
RUN groupadd --system --gid 10001 inlet \
 && useradd --system --uid 10001 --gid inlet --home-dir /var/lib/inlet --no-create-home \
      --shell /usr/sbin/nologin inlet \
 && mkdir -p /app/cds /var/lib/inlet \
 && chown inlet:inlet /var/lib/inlet /app/cds \
 && chmod 0700 /var/lib/inlet

COPY --from=build /build/app/ /app/
COPY --from=build /build/healthcheck/ /app/healthcheck/

# Not secrets: where the embedded database and generated secrets live, and the ports: SPSP and the admin API on
# 8080, ILP-over-HTTP (POST /ilp, for the upstream connector only: publish it to the connector alone) on 8081,
# health and metrics (/actuator/**: for the health check, Prometheus and operators, never the public) on 9090.
ENV INLET_DATA_DIR=/var/lib/inlet \
    SERVER_PORT=8080 \
    INLET_ILP_PORT=8081 \
    INLET_MANAGEMENT_PORT=9090

# The embedded database and the generated secrets. With INLET_DATABASE_URL set only nothing durable is written
# here. The embedded PostgreSQL also unpacks its binaries under /tmp, which must be writable.
VOLUME ["/var/lib/inlet"]
EXPOSE 8080 8081 9090

USER 10001:10001
WORKDIR /var/lib/inlet

# Class data sharing (AppCDS): a training run starts Inlet (its embedded database in a scratch directory) up to
# the end of its context refresh and writes the classes it loaded to /app/cds/inlet.jsa; each start then maps them
# instead of loading and verifying them again (docs/performance.md, "Cold start"). Made here, by this image's JVM and
# as the user that runs it: an archive only fits the JVM and the jars it was made with (a mismatch is ignored).
# The run exits after the refresh with its embedded PostgreSQL still up: pg_ctl stops it before the scratch goes.
RUN java -XX:+UseParallelGC -XX:ArchiveClassesAtExit=/app/cds/inlet.jsa -Dspring.context.exit=onRefresh \
      -Djava.io.tmpdir=/tmp/inlet-cds -jar /app/inlet.jar --inlet.data-dir=/tmp/inlet-cds/data \
      --server.port=0 --inlet.ilp-port=0 --inlet.management-port=0 \
 && /tmp/inlet-cds/embedded-pg/*/bin/pg_ctl -D /tmp/inlet-cds/data/postgres -m fast -w stop \
 && rm -rf /tmp/inlet-cds

# The JRE image has no curl guarantee and no compiler, but always has java: the check is one compiled java.base
# class (docker/HealthCheck.java) run with a tiny heap; it exits 0 when /actuator/health answers 200 on the
# management port (INLET_MANAGEMENT_PORT). It costs a short-lived JVM (about 0.2 s of CPU) per interval.
# Kubernetes ignores HEALTHCHECK and uses the chart's probes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
  CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx16m", "-cp", "/app/healthcheck", "HealthCheck"]

# Exec form: java is PID 1 and receives SIGTERM, so Spring's graceful shutdown runs (server.shutdown=graceful).
# The heap follows the container's memory limit. 60 % rather than the usual 75 %: with the embedded database,
# PostgreSQL lives in the same container and memory limit. The parallel collector: on the few cores a receiver
# gets, G1's barriers and concurrent work cost Inlet about a tenth of its CPU per packet (README, Performance).
# The CDS archive made above (-Xshare:auto: without it, or for another JVM, Inlet starts as before). Inlet's own
# packet-path warm-up (INLET_WARMUP) runs before it reports ready. Add JVM options with JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/cds/inlet.jsa", "-Djava.io.tmpdir=/tmp", "-jar", "/app/inlet.jar"]
