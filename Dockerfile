# Both services' image, built from the repository root with the service's module as build argument MODULE:
#   docker compose build                  (docker-compose.yml passes it), or
#   docker build --build-arg MODULE=command-side -t order-stock/command-side .
# DockerfileIT rehearses the build stage without Docker for every image a compose file builds: this COPY set in an
# empty folder, the RUN below offline, then the jar must exist.
FROM eclipse-temurin:17-jdk AS build
ARG MODULE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# Maven reads every module the root pom lists before it builds any: the services' modules come whole, every other
# module as its pom alone. A module added to the root pom needs its line here, or the build stops with "Child module
# ... does not exist" (and so does DockerfileIT). Both images copy the same set, so they share these layers.
COPY shared-events shared-events
COPY service-support service-support
COPY command-side command-side
COPY query-side query-side
COPY dev-stack/pom.xml dev-stack/pom.xml
COPY test-support/pom.xml test-support/pom.xml
COPY system-tests/pom.xml system-tests/pom.xml
COPY benchmark/pom.xml benchmark/pom.xml
RUN test -n "$MODULE" || { echo "Give the service: --build-arg MODULE=command-side (or query-side)" >&2; exit 1; }
RUN ./mvnw -q -B -pl "$MODULE" -am package -DskipTests

FROM eclipse-temurin:17-jre
ARG MODULE
WORKDIR /app
COPY --from=build /src/${MODULE}/target/${MODULE}.jar app.jar
# The command side listens on 3000, the query side on 3001 (server.port; SERVER_PORT changes it).
EXPOSE 3000 3001
ENTRYPOINT ["java", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Daxoniq.update-checker.disabled=true", "-jar", "app.jar"]
