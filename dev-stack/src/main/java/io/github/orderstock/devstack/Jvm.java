package io.github.orderstock.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/** Builds the command lines of child JVMs. */
final class Jvm {

    private static final String AGENT_CLASS = ParentWatch.class.getName().replace('.', '/') + ".class";

    private final Path agentJar;

    /** Writes the parent-watch agent into {@code runDir}. */
    Jvm(Path runDir) {
        this.agentJar = runDir.resolve("parent-watch.jar");
        writeAgentJar();
    }

    /** {@code java [options] -cp <this class path> mainClass args}: for children that run code of this module. */
    List<String> mainClass(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = java(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** {@code java [options] -jar jar}: for the services' Spring Boot jars. */
    List<String> jar(List<String> jvmOptions, Path jar) {
        List<String> command = java(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private List<String> java(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        // A session of its own keeps the terminal's Ctrl-C away from the children: the launcher stops them in order.
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                command.add(setsid);
                break;
            }
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-javaagent:" + agentJar + "=" + ProcessHandle.current().pid());
        return command;
    }

    /**
     * This JVM's class path with absolute entries. Under {@code java -jar dev-stack.jar} it is that one jar, whose
     * manifest names lib/*.jar; in tests and IDEs it lists every jar.
     */
    static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private void writeAgentJar() {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        try (InputStream agentClass = Jvm.class.getClassLoader().getResourceAsStream(AGENT_CLASS)) {
            if (agentClass == null) {
                throw new IllegalStateException(AGENT_CLASS + " is not on the class path");
            }
            Files.createDirectories(agentJar.getParent());
            Path partial = agentJar.resolveSibling(agentJar.getFileName() + ".tmp");
            try (var jar = new JarOutputStream(Files.newOutputStream(partial), manifest)) {
                jar.putNextEntry(new JarEntry(AGENT_CLASS));
                agentClass.transferTo(jar);
                jar.closeEntry();
            }
            Files.move(partial, agentJar, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + agentJar, e);
        }
    }
}
