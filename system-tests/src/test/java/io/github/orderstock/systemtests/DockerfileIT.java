package io.github.orderstock.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.orderstock.systemtests.docker.BuildContext;
import io.github.orderstock.systemtests.docker.BuildStageRehearsal;
import io.github.orderstock.systemtests.docker.BuildStageRehearsal.Image;
import io.github.orderstock.systemtests.docker.ComposeFiles;
import io.github.orderstock.systemtests.docker.ComposeFiles.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Docker images build and run with what their base images have, checked without a Docker engine: every image a
 * compose file builds has its build stage rehearsed (its COPY set into an empty folder, its RUN there, Maven offline),
 * and the file its final stage takes must then exist. A Dockerfile that leaves out a module fails here, and so does a
 * health check that calls a program the runtime images do not ship. Runs first, before the suite's stack starts.
 */
@Order(0)
class DockerfileIT {

    private static final Path HOME = Path.of(System.getProperty("systemtests.home")).toAbsolutePath().normalize();
    private static final Pattern CURL_OR_WGET = Pattern.compile("\\b(curl|wget)\\b");

    @Test
    void everyImageOfEveryComposeFileBuildsFromItsCopySet() throws Exception {
        List<Image> images = images();
        assertThat(images).as("images built by %s", ComposeFiles.in(HOME)).isNotEmpty();
        assertThat(dockerfilesInRepository())
                .as("every Dockerfile is built by a compose file, so none escapes this check")
                .isSubsetOf(images.stream().map(Image::dockerfile).toList());

        long started = System.nanoTime();
        var report = rehearsal("all").rehearse(images);
        System.out.printf("%n===== Docker build stages rehearsed =====%n%s%nin %.1f s%n", report,
                (System.nanoTime() - started) / 1e9);
    }

    @Test
    void aDockerfileThatLeavesOutAModuleDoesNotBuild(@TempDir Path folder) throws Exception {
        Image image = images().get(0);
        List<String> lines = Files.readAllLines(image.dockerfile());
        List<String> modules = rootPom("modules/module");
        String left = null;
        int removed = -1;
        for (int i = 0; i < lines.size(); i++) {
            String[] words = lines.get(i).strip().split("\\s+");
            if (words.length >= 3 && words[0].equals("COPY") && !words[1].startsWith("--")) {
                for (String module : modules) {
                    if (words[1].equals(module) || words[1].startsWith(module + "/")) {
                        left = module;
                        removed = i;
                    }
                }
            }
        }
        assertThat(removed).as("%s copies a module of the root pom", image.dockerfile()).isNotNegative();
        var broken = new ArrayList<>(lines);
        broken.remove(removed);
        Path dockerfile = Files.write(folder.resolve("Dockerfile"), broken);

        String leftOut = left;
        int removedLine = removed + 1;
        assertThatThrownBy(() -> rehearsal("broken-module").rehearse(List.of(new Image(dockerfile, image.context(), image.args()))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("Child module")
                .hasMessageContaining(leftOut)
                .satisfies(failure -> System.out.printf("%n===== %s without line %d '%s' =====%n%s%n",
                        HOME.relativize(image.dockerfile()), removedLine, lines.get(removedLine - 1).strip(),
                        failure.getMessage()));
    }

    @Test
    void aBuildStageThatProducesNoJarDoesNotBuild(@TempDir Path folder) throws Exception {
        Image image = images().get(0);
        List<String> lines = Files.readAllLines(image.dockerfile()).stream()
                .map(line -> line.strip().startsWith("RUN ") ? "RUN true" : line).toList();
        Path dockerfile = Files.write(folder.resolve("Dockerfile"), lines);

        assertThatThrownBy(() -> rehearsal("no-jar").rehearse(List.of(new Image(dockerfile, image.context(), image.args()))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("COPY --from=")
                .hasMessageContaining("does not exist after stage");
    }

    @Test
    void anImageBuiltWithoutItsModuleSaysWhichToGive() throws Exception {
        Image image = images().get(0);

        assertThatThrownBy(() -> rehearsal("no-module").rehearse(List.of(new Image(image.dockerfile(),
                image.context(), Map.of()))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("--build-arg MODULE=command-side");
    }

    @Test
    void healthChecksNeedNothingTheImagesLack() throws IOException {
        List<Path> composeFiles = ComposeFiles.in(HOME);
        assertThat(composeFiles).isNotEmpty();
        for (Path file : composeFiles) {
            for (Block check : ComposeFiles.healthChecks(file)) {
                assertThat(CURL_OR_WGET.matcher(check.text()).find())
                        .as("%s line %d: health check '%s' calls curl or wget, which eclipse-temurin runtime images "
                                + "no longer ship; bash's /dev/tcp needs nothing", HOME.relativize(file),
                                check.line(), check.text())
                        .isFalse();
            }
        }
    }

    /** Each distinct (Dockerfile, context, build arguments) that some compose file builds. */
    private static List<Image> images() throws IOException {
        var seen = new LinkedHashSet<List<Object>>();
        var images = new ArrayList<Image>();
        for (Path file : ComposeFiles.in(HOME)) {
            for (var build : ComposeFiles.builds(file)) {
                if (seen.add(List.of(build.dockerfile(), build.context(), build.args()))) {
                    assertThat(build.dockerfile()).as("Dockerfile named by %s", HOME.relativize(file)).isRegularFile();
                    images.add(new Image(build.dockerfile(), BuildContext.of(build.context()), build.args()));
                }
            }
        }
        return images;
    }

    private static Set<Path> dockerfilesInRepository() throws IOException {
        try (Stream<Path> walk = Files.walk(HOME)) {
            return Set.copyOf(walk.filter(path -> path.getFileName().toString().equals("Dockerfile"))
                    .filter(path -> !HOME.relativize(path).toString().matches("(.*/)?(target|\\.git|data)/.*"))
                    .toList());
        }
    }

    private static BuildStageRehearsal rehearsal(String name) throws Exception {
        Path work = Path.of(System.getProperty("systemtests.work")).resolveSibling("docker-rehearsal").resolve(name);
        String localRepository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return new BuildStageRehearsal(work, new BuildStageRehearsal.Maven(Path.of(localRepository),
                rootPom("groupId").get(0)));
    }

    /** Text of the root pom's elements at a path below {@code project}, e.g. {@code modules/module}. */
    private static List<String> rootPom(String path) throws Exception {
        Element element = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(HOME.resolve("pom.xml").toFile()).getDocumentElement();
        List<Element> level = List.of(element);
        for (String name : path.split("/")) {
            var next = new ArrayList<Element>();
            for (Element parent : level) {
                NodeList children = parent.getChildNodes();
                for (int i = 0; i < children.getLength(); i++) {
                    if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        return level.stream().map(node -> node.getTextContent().strip()).toList();
    }
}
