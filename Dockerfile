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
RUN mvn -B -ntp -Dmaven.test.skip=true package \
 && cp target/inlet-*.jar /build/inlet.jar \
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
 && mkdir -p /app /var/lib/inlet \
 && chown inlet:inlet /var/lib/inlet \
 && chmod 0700 /var/lib/inlet

COPY --from=build /build/inlet.jar /app/inlet.jar
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
# Before it reports ready, Inlet drives its own packet path for INLET_WARMUP (5 s by default; no money moves), so
# the first packets after a deploy meet compiled code (docs/performance.md, "Cold start"); the health check's
# start period covers it. A class data sharing archive was measured too and did not shorten the start here.
# Add JVM options with JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/app/inlet.jar"]
