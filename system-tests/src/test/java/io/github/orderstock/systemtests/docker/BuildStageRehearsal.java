package io.github.orderstock.systemtests.docker;

import io.github.orderstock.systemtests.docker.Dockerfile.Instruction;
import io.github.orderstock.systemtests.docker.Dockerfile.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Rehearses the build stages of Docker images without a Docker engine, which these machines do not have: an empty
 * folder stands for the stage's file system; each COPY puts exactly its sources from the build context there
 * (honouring {@code .dockerignore}); each RUN runs there with this machine's JDK, Maven offline on the local
 * repository the outer build filled; then every file the final stage copies from the stage must exist.
 *
 * <p>Images whose build stages copy the same files differ only in what they run: they share one folder and their RUNs
 * run one after the other, so a second Maven build finds the first one's compiled classes. The local repository the
 * nested Maven sees hides the project's own group, so a module Docker would not have cannot come from an earlier
 * {@code install}. Anything this cannot imitate ({@code ADD}, {@code COPY --from} inside a build stage, stages built
 * on stages) fails by name instead of being guessed at.
 */
public final class BuildStageRehearsal {

    /** An image as compose builds it: a Dockerfile, the context folder it is built from and the build arguments. */
    public record Image(Path dockerfile, BuildContext context, Map<String, String> args) {

        @Override
        public String toString() {
            return dockerfile + (args.isEmpty() ? "" : " " + new TreeMap<>(args));
        }
    }

    /** Where Maven's local repository is, and the group id it must not offer (the project's own artifacts). */
    public record Maven(Path localRepository, String hiddenGroupId) {
    }

    /** What was rehearsed: per shared folder the images it built and how long it took. */
    public record Report(List<String> lines) {
        @Override
        public String toString() {
            return String.join(System.lineSeparator(), lines);
        }
    }

    private static final long RUN_TIMEOUT_MINUTES = 10;
    private static final int ERROR_LINES = 25;

    private final Path work;
    private final Maven maven;

    public BuildStageRehearsal(Path work, Maven maven) {
        this.work = work;
        this.maven = maven;
    }

    /** Rehearses every image; throws {@link AssertionError} naming each Dockerfile line that would break the build. */
    public Report rehearse(List<Image> images) throws IOException, InterruptedException {
        var failures = new ArrayList<String>();
        var groups = new LinkedHashMap<String, List<Target>>();
        for (Image image : images) {
            try {
                for (Target target : targets(image)) {
                    groups.computeIfAbsent(target.sharedKey(), key -> new ArrayList<>()).add(target);
                }
            } catch (RehearsalException e) {
                failures.add(image + ": " + e.getMessage());
            }
        }
        var report = new ArrayList<String>();
        Files.createDirectories(work);
        Path tail = localRepositoryWithoutProject();
        for (List<Target> group : groups.values()) {
            long started = System.nanoTime();
            Path root = Files.createTempDirectory("docker-build-stage-");
            try {
                Map<String, String> env = new HashMap<>();
                String[] workdir = {"/"};
                Target first = group.get(0);
                try {
                    for (Instruction step : first.stage().beforeFirstRun()) {
                        execute(first, step, root, workdir, env, tail);
                    }
                } catch (RehearsalException e) {
                    group.forEach(target -> failures.add(target.image() + " " + e.getMessage()));
                    continue;
                }
                for (Target target : group) {
                    List<Instruction> all = target.stage().instructions();
                    try {
                        for (Instruction step : all.subList(target.stage().beforeFirstRun().size(), all.size())) {
                            execute(target, step, root, workdir, env, tail);
                        }
                        checkFinalCopies(target, root);
                    } catch (RehearsalException e) {
                        failures.add(target.image() + " " + e.getMessage());
                    }
                }
            } finally {
                deleteTree(root);
            }
            report.add("%s: build stage rehearsed in %.1f s".formatted(group.stream()
                    .map(target -> target.image().toString()).toList(),
                    (System.nanoTime() - started) / 1e9));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("A Docker image would not build:" + System.lineSeparator()
                    + String.join(System.lineSeparator() + System.lineSeparator(), failures));
        }
        return new Report(report);
    }

    /** A build stage that the final stage of an image copies from. */
    private record Target(Image image, Dockerfile dockerfile, Stage stage) {

        /** Targets with the same key copy the same files and differ only in the RUNs after the last COPY. */
        String sharedKey() {
            List<Instruction> before = stage.beforeFirstRun();
            boolean onlyRunsAfter = stage.instructions().subList(before.size(), stage.instructions().size())
                    .stream().allMatch(step -> step.is("RUN"));
            if (!onlyRunsAfter) {
                return image + "#" + stage.name();
            }
            var key = new StringBuilder(image.context().root() + "|" + stage.baseImage());
            before.forEach(step -> key.append('|').append(step.keyword()).append(step.flags()).append(step.text()));
            return key.toString();
        }
    }

    private static List<Target> targets(Image image) throws IOException {
        Dockerfile dockerfile = Dockerfile.read(image.dockerfile(), image.args());
        var targets = new ArrayList<Target>();
        for (Instruction step : dockerfile.finalStage().instructions()) {
            if (!step.is("COPY")) {
                continue;
            }
            String from = step.flag("from").orElse(null);
            if (from == null || targets.stream().anyMatch(target -> target.stage().name().equals(from))) {
                continue;
            }
            Stage stage = dockerfile.stage(from).orElseThrow(() -> new RehearsalException(
                    step + " copies from '" + from + "', which is no stage of this Dockerfile; only build stages "
                            + "can be rehearsed"));
            if (dockerfile.stage(stage.baseImage()).isPresent()) {
                throw new RehearsalException("stage '" + stage.name() + "' is built on stage '" + stage.baseImage()
                        + "', which this rehearsal does not imitate");
            }
            targets.add(new Target(image, dockerfile, stage));
        }
        return targets;
    }

    private void execute(Target target, Instruction step, Path root, String[] workdir, Map<String, String> env,
                         Path tail) throws IOException, InterruptedException {
        switch (step.keyword()) {
            case "WORKDIR" -> {
                workdir[0] = Path.of(workdir[0]).resolve(step.text()).normalize().toString();
                Files.createDirectories(inStage(root, workdir[0]));
            }
            case "ENV" -> step.arguments().forEach(pair -> {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new RehearsalException(step + ": only the form ENV name=value is rehearsed");
                }
                env.put(pair.substring(0, equals), pair.substring(equals + 1));
            });
            case "COPY" -> copy(target.image().context(), step, root, workdir[0]);
            case "RUN" -> run(target, step, inStage(root, workdir[0]), env, tail);
            case "ARG", "LABEL", "EXPOSE", "USER", "ENTRYPOINT", "CMD", "HEALTHCHECK", "STOPSIGNAL", "SHELL", "VOLUME" -> {
                // Nothing that changes which files the build produces.
            }
            default -> throw new RehearsalException(step + ": " + step.keyword() + " is not rehearsed; a build "
                    + "stage here may use WORKDIR, ENV, COPY (from the context) and RUN");
        }
    }

    private static void copy(BuildContext context, Instruction step, Path root, String workdir) throws IOException {
        if (step.flag("from").isPresent() || step.flags().stream().anyMatch(flag -> flag.startsWith("--parents")
                || flag.startsWith("--exclude"))) {
            throw new RehearsalException(step + ": this COPY form is not rehearsed");
        }
        List<String> args = step.arguments();
        if (args.size() < 2) {
            throw new RehearsalException(step + ": COPY needs a source and a destination");
        }
        List<String> sources = args.subList(0, args.size() - 1);
        String destination = args.get(args.size() - 1);
        boolean intoFolder = destination.endsWith("/") || sources.size() > 1
                || sources.stream().anyMatch(BuildContext::hasWildcard);
        Path target = inStage(root, Path.of(workdir).resolve(destination).normalize().toString());
        for (String source : sources) {
            List<Path> paths = context.sources(source);
            if (paths.isEmpty()) {
                throw new RehearsalException(step + ": '" + source + "' is not in the build context "
                        + context.root() + " (missing, or left out by .dockerignore)");
            }
            for (Path path : paths) {
                Path to = Files.isDirectory(path) ? target
                        : intoFolder ? target.resolve(path.getFileName().toString()) : target;
                context.copy(path, to);
            }
        }
    }

    private void run(Target target, Instruction step, Path directory, Map<String, String> env, Path tail)
            throws IOException, InterruptedException {
        List<String> command = step.jsonForm() ? step.arguments() : List.of("/bin/sh", "-c", step.text());
        var builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        // The outer Maven's own variables would point the nested one at this repository instead of the folder.
        List.of("MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR", "MAVEN_CMD_LINE_ARGS").forEach(environment::remove);
        environment.putAll(env);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("MAVEN_ARGS", "-o -Dmaven.repo.local=" + work.resolve("m2-head")
                + " -Dmaven.repo.local.tail=" + tail);
        Path dockerfile = target.image().dockerfile();
        Path root = target.image().context().root();
        String name = ((dockerfile.startsWith(root) ? root.relativize(dockerfile) : dockerfile.getFileName())
                + String.join("-", new TreeMap<>(target.image().args()).values())).replaceAll("[^A-Za-z0-9.-]", "_");
        Path log = work.resolve(name + "-line" + step.line() + ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new RehearsalException(step + ": did not finish within " + RUN_TIMEOUT_MINUTES + " min; log " + log);
        }
        if (process.exitValue() != 0) {
            throw new RehearsalException(step + ": exited with " + process.exitValue() + " in the rehearsal of "
                    + "stage '" + target.stage().name() + "' (its COPY set only, Maven offline). It said:"
                    + System.lineSeparator() + errorLines(log) + System.lineSeparator() + "Whole log: " + log);
        }
    }

    private static String errorLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> errors = lines.stream().filter(line -> line.contains("ERROR") || line.contains("error:"))
                .limit(ERROR_LINES).toList();
        List<String> shown = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - ERROR_LINES), lines.size())
                : errors;
        return String.join(System.lineSeparator(), shown.stream().map(line -> "    " + line).toList());
    }

    /** COPY --from takes its sources from the root of the other stage's file system, whatever its WORKDIR. */
    private static void checkFinalCopies(Target target, Path root) throws IOException {
        for (Instruction step : target.dockerfile().finalStage().instructions()) {
            if (!step.is("COPY") || !step.flag("from").orElse("").equals(target.stage().name())) {
                continue;
            }
            for (String source : step.arguments().subList(0, step.arguments().size() - 1)) {
                Path produced = inStage(root, Path.of("/").resolve(source).normalize().toString());
                if (!Files.exists(produced)) {
                    throw new RehearsalException(step + ": '" + source + "' does not exist after stage '"
                            + target.stage().name() + "' ran");
                }
                if (produced.toString().endsWith(".jar")) {
                    try (JarFile jar = new JarFile(produced.toFile())) {
                        if (jar.getManifest() == null || jar.getManifest().getMainAttributes()
                                .getValue("Main-Class") == null) {
                            throw new RehearsalException(step + ": '" + source + "' has no Main-Class; "
                                    + "java -jar could not start it");
                        }
                    }
                }
            }
        }
    }

    private static Path inStage(Path root, String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /**
     * The local repository with the project's own group left out, as a tree of links: the nested Maven reads it as a
     * read-only tail and writes what it writes into an empty head of its own.
     */
    private Path localRepositoryWithoutProject() throws IOException {
        Path tail = work.resolve("m2-tail");
        deleteTree(tail);
        deleteTree(work.resolve("m2-head"));
        Path source = maven.localRepository();
        Path target = tail;
        Files.createDirectories(target);
        String[] segments = maven.hiddenGroupId().split("\\.");
        for (int i = 0; i < segments.length; i++) {
            String keep = segments[i];
            boolean last = i == segments.length - 1;
            try (Stream<Path> entries = Files.exists(source) ? Files.list(source) : Stream.empty()) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    if (!entry.getFileName().toString().equals(keep)) {
                        Files.createSymbolicLink(target.resolve(entry.getFileName().toString()), entry);
                    }
                }
            }
            source = source.resolve(keep);
            target = target.resolve(keep);
            if (!last) {
                Files.createDirectories(target);
            }
        }
        return tail;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** One Dockerfile line that would break the build, said in terms of that line. */
    private static final class RehearsalException extends RuntimeException {
        RehearsalException(String message) {
            super(message);
        }
    }
}
